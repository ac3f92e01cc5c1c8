import { strict as assert } from "node:assert";
import { gkeKubeconfig } from "./gkeProvider";
import { ksaMember } from "./gkeIdentity";

describe("gcp GKE provider and Workload Identity (pure)", () => {
  it("builds a kubeconfig for the DNS endpoint that authenticates with gke-gcloud-auth-plugin, no static credential", () => {
    const k = JSON.parse(gkeKubeconfig("meridian-dev-gke", "gke-abc.us-central1.gke.goog"));
    assert.equal(k.clusters[0].cluster.server, "https://gke-abc.us-central1.gke.goog");
    assert.equal(k.users[0].user.exec.command, "gke-gcloud-auth-plugin");
    assert.equal(k.users[0].user.token, undefined);
    assert.equal(k["current-context"], k.contexts[0].name);
  });

  it("names the Kubernetes service account in the project's workload pool", () => {
    assert.equal(
      ksaMember("p-1", "meridian", "meridian-api"),
      "serviceAccount:p-1.svc.id.goog[meridian/meridian-api]",
    );
  });
});

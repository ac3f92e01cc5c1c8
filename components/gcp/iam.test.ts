import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { checkGrant, checkMember, identitiesFromGrants, IamGrant } from "./iam";

const grant: IamGrant = {
  principal: "meridian-dev-runtime",
  role: "roles/secretmanager.secretAccessor",
  on: "secret db-url",
};

describe("gcp iam building blocks", () => {
  it("checkGrant refuses basic roles anywhere and project-level roles other than the telemetry writers", () => {
    assert.throws(() => checkGrant({ ...grant, role: "roles/editor" }), /basic roles are never granted/);
    assert.throws(() => checkGrant({ ...grant, role: "roles/viewer", on: "bucket b" }), /basic roles/);
    assert.throws(
      () => checkGrant({ ...grant, on: "project p" }),
      /project-level grants are limited to roles\/logging.logWriter, roles\/monitoring.metricWriter, roles\/cloudtrace.agent/,
    );
    assert.deepEqual(
      checkGrant({ ...grant, role: "roles/logging.logWriter", on: "project p" }).on,
      "project p",
    );
    assert.deepEqual(checkGrant(grant), grant);
  });

  it("checkMember refuses public members and non-principals now, and in an Output when it resolves", async () => {
    assert.throws(() => checkMember(grant, "allUsers"), /allUsers is public; allowed: a service account/);
    assert.throws(() => checkMember(grant, "allAuthenticatedUsers"), /is public/);
    assert.throws(() => checkMember(grant, "domain:example.com"), /is not a principal/);
    assert.throws(() => checkMember(grant, "sa@p.iam.gserviceaccount.com"), /serviceAccount:<email>/);
    assert.equal(
      checkMember(grant, "serviceAccount:a@p.iam.gserviceaccount.com"),
      "serviceAccount:a@p.iam.gserviceaccount.com",
    );
    const bad = checkMember(grant, pulumi.output("allUsers")) as pulumi.Output<string>;
    await assert.rejects(
      new Promise((resolve, reject) => {
        // An Output's apply error surfaces through its promise.
        (bad as unknown as { promise(): Promise<string> }).promise().then(resolve, reject);
      }),
      /is public/,
    );
  });

  it("identitiesFromGrants groups by principal, sorted, without duplicates, with the kind given", () => {
    const ids = identitiesFromGrants(
      [
        grant,
        grant,
        { principal: "meridian-dev-runtime", role: "roles/artifactregistry.reader", on: "repository api" },
        { principal: "cloud-cdn-fill", role: "roles/storage.objectViewer", on: "bucket assets" },
      ],
      { "cloud-cdn-fill": "gcp:service-agent" },
    );
    assert.deepEqual(ids, [
      {
        name: "cloud-cdn-fill",
        kind: "gcp:service-agent",
        permissions: ["roles/storage.objectViewer on bucket assets"],
      },
      {
        name: "meridian-dev-runtime",
        kind: "gcp:serviceaccount",
        permissions: [
          "roles/artifactregistry.reader on repository api",
          "roles/secretmanager.secretAccessor on secret db-url",
        ],
      },
    ]);
  });
});

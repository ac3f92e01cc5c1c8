/**
 * The Kubernetes model through the offline runtime with @pulumi/kubernetes' own classes in preview mode:
 * an autonamed Namespace's name is known in preview (the provider computes it in Check), so objects placed
 * in it see their namespace; `status` stays unknown, as with a real preview.
 */
import { strict as assert } from "node:assert";
import type * as k8sType from "@pulumi/kubernetes";
import { OfflineSession, ofType, promiseOf, startMocks } from "../testing";

describe("Kubernetes model through the offline runtime (preview)", () => {
  let session: OfflineSession;
  let k8s: typeof k8sType;
  let dep: k8sType.apps.v1.Deployment;
  before(async () => {
    session = await startMocks({ preview: true });
    k8s = await import("@pulumi/kubernetes");
    const ns = new k8s.core.v1.Namespace("api", {});
    dep = new k8s.apps.v1.Deployment("api", {
      metadata: { namespace: ns.metadata.name },
      spec: {
        selector: { matchLabels: { app: "api" } },
        template: {
          metadata: { labels: { app: "api" } },
          spec: { containers: [{ name: "api", image: "i" }] },
        },
      },
    });
    await session.settle();
  });

  it("objects in an autonamed namespace get its name during preview", async () => {
    const [ns] = ofType(session, "kubernetes:core/v1:Namespace");
    const [d] = ofType(session, "kubernetes:apps/v1:Deployment");
    const nsName = (ns.outputs.metadata as { name: string }).name;
    assert.match(nsName, /^api-[0-9a-f]{8}$/);
    assert.equal((d.inputs.metadata as { namespace: string }).namespace, nsName);
    assert.match(await promiseOf(dep.metadata.name), /^api-[0-9a-f]{8}$/);
  });

  it("status is unknown during preview", async () => {
    await assert.rejects(promiseOf(dep.status, 500), /unknown during preview/);
  });
});

/**
 * The GCP data sources the model answers (invoke.ts): the storage service agent, network and global address
 * lookups, getIAMPolicy.
 */
import { strict as assert } from "node:assert";
import { modelInvoke } from "../index";
import { env, NUMBER, PROJECT } from "./testing";

describe("offline model of Google Cloud", () => {
  describe("coverage and data sources", () => {
    it("answers the storage service agent, network and global address lookups", () => {
      const e = env();
      const sa = modelInvoke("gcp:storage/getProjectServiceAccount:getProjectServiceAccount", {}, e);
      assert.equal(sa.emailAddress, `service-${NUMBER}@gs-project-accounts.iam.gserviceaccount.com`);
      const net = modelInvoke("gcp:compute/getNetwork:getNetwork", { name: "vpc" }, e);
      assert.equal(net.id, `projects/${PROJECT}/global/networks/vpc`);
      const ip = modelInvoke("gcp:compute/getGlobalAddress:getGlobalAddress", { name: "edge-ip" }, e);
      assert.match(ip.address as string, /^203\.0\.113\./);
      assert.ok(e.notes.every((n) => !/no offline model/.test(n.message)));
    });

    it("getIAMPolicy returns the policy document its bindings describe, so rules can read policyData", () => {
      const e = env();
      const bindings = [{ role: "roles/run.invoker", members: ["allUsers"] }];
      const r = modelInvoke("gcp:organizations/getIAMPolicy:getIAMPolicy", { bindings }, e);
      assert.deepEqual(JSON.parse(r.policyData as string), { bindings });
      const empty = modelInvoke("gcp:organizations/getIAMPolicy:getIAMPolicy", {}, e);
      assert.deepEqual(JSON.parse(empty.policyData as string), { bindings: [] });
      assert.ok(e.notes.every((n) => !/no offline model/.test(n.message)));
    });
  });
});

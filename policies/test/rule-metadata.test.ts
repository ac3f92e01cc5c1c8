/** The metadata every rule must carry: id format, description, severity, remediation, inspected types. */
import { strict as assert } from "node:assert";
import { RULES } from "../pack";

describe("rule metadata", () => {
  for (const r of RULES) {
    it(`${r.id}: has description, severity, remediation and inspected types`, () => {
      assert.match(r.id, /^(aws|gcp|k8s|image)-[a-z0-9-]+$/);
      assert.ok(r.description.length > 20 && /\.$/.test(r.description), r.description);
      assert.ok(["low", "medium", "high", "critical"].includes(r.severity));
      assert.ok(r.remediation.length > 20);
      assert.ok(r.types.length > 0);
      if (r.area === "tls" || r.area === "least-privilege")
        assert.equal(r.enforcement, "mandatory", `${r.id} is core`);
    });
  }
});

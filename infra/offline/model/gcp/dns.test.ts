/**
 * The offline model of Cloud DNS (dns.ts): private zones' name server, public zones' name-server set, record
 * set ids.
 */
import { strict as assert } from "node:assert";
import { model, PROJECT } from "./testing";

describe("offline model of Google Cloud", () => {
  describe("Cloud Monitoring, Logging, DNS", () => {
    it("gives private zones Google's private name server and record sets the provider's id", () => {
      const z = model("gcp:dns/managedZone:ManagedZone", {
        name: "internal",
        dnsName: "m.internal.",
        visibility: "private",
      });
      assert.equal(z.id, `projects/${PROJECT}/managedZones/internal`);
      assert.deepEqual(z.s.nameServers, ["ns-gcp-private.googledomains.com."]);
      assert.match(z.s.managedZoneId, /^\d+$/);
      const pub = model("gcp:dns/managedZone:ManagedZone", { name: "pub", dnsName: "example.com." });
      assert.equal(pub.s.nameServers.length, 4);
      const rs = model("gcp:dns/recordSet:RecordSet", {
        managedZone: "internal",
        name: "db.m.internal.",
        type: "A",
      });
      assert.equal(rs.id, `projects/${PROJECT}/managedZones/internal/rrsets/db.m.internal./A`);
    });
  });
});

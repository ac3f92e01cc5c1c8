/** The GCP Data Access audit log bucket's price (infra/cost/gcp.ts; components/gcp/auditLogs.ts). Pure. */
import { strict as assert } from "node:assert";
import { loadCatalogue } from "./catalogue";
import { estimateStack } from "./estimate";
import { GraphResource, PreviewGraph } from "./graph";

const c = loadCatalogue();
const p = (k: string) => c.prices[k].price;
const BUCKET = "gcp:logging/projectBucketConfig:ProjectBucketConfig";

function graphOf(name: string, retentionDays: number): PreviewGraph {
  const r: GraphResource = {
    urn: `urn:pulumi:s::proj::meridian:gcp:AuditLogs$${BUCKET}::${name}`,
    type: BUCKET,
    name,
    custom: true,
    parent: null,
    inputs: { retentionDays },
  };
  return { project: "proj", stack: "s", config: {}, resources: [r] };
}

describe("cost estimate: GCP Data Access audit logs", () => {
  it("prices the assumed audit volume's ingestion and its retention beyond 30 days", () => {
    const gib = c.assumptions.auditLogIngestGbPerMonth;
    assert.ok(gib > 0, "the catalogue states the audit volume");
    const e = estimateStack(graphOf("meridian-prod-audit-logs", 400), c);
    const expected = gib * p("gcp.logging.ingest.gb") + ((gib * 370) / 30) * p("gcp.logging.retention.gb");
    assert.ok(Math.abs(e.total - expected) < 1e-9, `${e.total} != ${expected}`);
    assert.deepEqual(
      e.lines[0].items.map((i) => i.price),
      ["gcp.logging.ingest.gb", "gcp.logging.retention.gb"],
    );
  });

  it("charges no retention at 30 days, and other log buckets keep the per-bucket assumption", () => {
    const at30 = estimateStack(graphOf("x-audit-logs", 30), c);
    assert.equal(at30.lines[0].items[1].amount, 0);
    const other = estimateStack(graphOf("meridian-prod-obs-logs", 400), c);
    assert.equal(other.total, c.assumptions.logIngestGbPerGroup * p("gcp.logging.ingest.gb"));
  });

  it("the retention price cites its source, date and status like every other entry", () => {
    const r = c.prices["gcp.logging.retention.gb"];
    assert.equal(r.price, 0.01);
    assert.equal(r.source, "https://cloud.google.com/stackdriver/pricing");
    assert.match(r.date, /^\d{4}-\d{2}-\d{2}$/);
  });
});

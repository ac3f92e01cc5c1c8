import { strict as assert } from "node:assert";
import { diffEstimates, diffLines, signedUsd } from "./diff";
import { CostLine, Estimate } from "./estimate";

function line(label: string, name: string, monthly: number, detail?: string): CostLine {
  return { urn: `u:${name}`, type: "t", name, label, component: "", monthly, items: [], notes: [], detail };
}

function est(lines: CostLine[]): Estimate {
  return {
    project: "p",
    stack: "s",
    cloud: "aws",
    total: lines.reduce((s, l) => s + l.monthly, 0),
    lines,
    unpriced: [],
    usageOnly: [],
    freeCount: 0,
    assumptions: {} as Estimate["assumptions"],
    unverified: [],
  };
}

describe("cost diff", () => {
  it("says what a PR adds, removes and changes, largest first", () => {
    const base = est([
      line("NAT gateway", "nat-a", 33.08),
      line("RDS PostgreSQL", "db", 13.98, "db.t4g.micro, 20 GB"),
      line("KMS key", "k", 1),
    ]);
    const head = est([
      line("NAT gateway", "nat-a", 33.08),
      line("NAT gateway", "nat-b", 33.08),
      line("RDS PostgreSQL", "db", 140, "db.m7g.large, 20 GB"),
    ]);
    const d = diffEstimates(base, head);
    assert.equal(signedUsd(d.delta), "+$158.10");
    assert.deepEqual(diffLines(d), [
      "+$126.02/month: RDS PostgreSQL (db: db.t4g.micro, 20 GB -> db.m7g.large, 20 GB)",
      "+$33.08/month: NAT gateway (1 -> 2; nat-b added)",
      "-$1.00/month: KMS key (1 -> 0; k removed)",
    ]);
  });

  it("reports no line when nothing changes, and caps the listed resources", () => {
    const same = est([line("KMS key", "k", 1)]);
    assert.deepEqual(diffEstimates(same, same).lines, []);
    const many = est([1, 2, 3, 4, 5, 6].map((i) => line("CloudWatch alarm", `a${i}`, 0.1)));
    const [l] = diffEstimates(est([]), many).lines;
    assert.deepEqual(l.changes, ["a1 added", "a2 added", "a3 added", "3 more"]);
  });
});

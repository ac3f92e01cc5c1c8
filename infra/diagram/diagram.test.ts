import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runDiagram } from "../../scripts/diagram";
import { diagramDocs } from "../../scripts/diagram-docs";
import { checkFlowchart } from "./check";
import { buildDiagram, Diagram, renderMermaid } from "./diagram";
import { previewGraph, STACKS } from "./previews";

function node(d: Diagram, label: string) {
  const n = d.boxes.flatMap((b) => b.nodes).find((x) => x.label === label);
  assert.ok(n, `no node "${label}"`);
  return n.id;
}

function hasEdge(d: Diagram, from: string, to: string): boolean {
  return d.edges.some((e) => e.from === from && e.to === to);
}

describe("architecture diagram (Mermaid, from the preview graph)", function () {
  this.timeout(300_000);

  it("the structural check catches what breaks rendering", () => {
    assert.deepEqual(checkFlowchart('flowchart LR\n  a["x"]\n  a --> a\n'), []);
    const bad = 'graph\n  subgraph s["t"]\n  a["say "hi""]\n  b[("db"]\n  a --> c\n';
    const problems = checkFlowchart(bad).join("\n");
    assert.match(problems, /not a flowchart header/);
    assert.match(problems, /not a node, edge/);
    assert.match(problems, /opens \[\( but closes \]/);
    assert.match(problems, /undeclared node/);
    assert.match(problems, /without "end"/);
  });

  for (const { stack, cloud } of STACKS) {
    it(`${stack}-${cloud}: every component is a box, the Mermaid is well formed, small enough to read`, () => {
      const g = previewGraph(stack, cloud);
      const d = buildDiagram(g);
      const text = renderMermaid(d);
      assert.deepEqual(checkFlowchart(text), []);
      for (const c of g.resources.filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack"))
        assert.ok(
          d.boxes.some((b) => b.title === `${c.type.split(":").pop()} ${c.name}`),
          `no box for ${c.urn}`,
        );
      const custom = g.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).length;
      assert.equal(
        d.boxes.reduce((s, b) => s + b.total, 0),
        custom,
        "every resource is counted in a box",
      );
      assert.ok(d.boxes.flatMap((b) => b.nodes).length <= 40, "at most 40 nodes");
    });

    it(`${stack}-${cloud}: the request path runs viewer -> edge -> service -> database and cache`, () => {
      const d = buildDiagram(previewGraph(stack, cloud));
      const aws = cloud === "aws";
      const lb = node(d, aws ? "load balancer (ALB)" : "load balancer forwarding rules");
      const service = node(d, aws ? "Fargate service" : "Cloud Run service");
      const db = node(d, aws ? "RDS PostgreSQL" : "Cloud SQL");
      const cache = node(d, aws ? "ElastiCache" : "Memorystore for Redis");
      assert.ok(d.entries.length >= 1);
      assert.ok(hasEdge(d, lb, service), "load balancer -> service");
      const proxy = d.boxes.flatMap((b) => b.nodes).find((x) => x.label === "RDS Proxy");
      if (proxy)
        assert.ok(hasEdge(d, service, proxy.id) && hasEdge(d, proxy.id, db), "service -> proxy -> database");
      else assert.ok(hasEdge(d, service, db), "service -> database");
      assert.ok(hasEdge(d, service, cache), "service -> cache");
      assert.ok(
        d.edges.some((e) => e.label === "protects"),
        "a WAF protects an entry point",
      );
      if (aws && stack === "dev") {
        const cdn = node(d, "CloudFront");
        assert.deepEqual(d.entries, [cdn], "dev: the viewer enters through CloudFront only");
        assert.ok(hasEdge(d, cdn, lb), "CloudFront -> ALB");
      }
      if (!aws) assert.deepEqual(d.entries, [lb], "GCP: the viewer enters through the load balancer");
    });
  }

  it("npm run diagram writes the Markdown section of a graph file, exit 2 on bad usage", () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "diagram-")), "g.json");
    fs.writeFileSync(f, JSON.stringify(previewGraph("dev", "gcp")));
    const r = runDiagram([f]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^### Architecture: dev-gcp\n\n```mermaid\nflowchart LR\n/);
    assert.deepEqual(checkFlowchart(r.stdout.split("```mermaid\n")[1].split("```")[0]), []);
    assert.equal(runDiagram([]).code, 2);
    fs.writeFileSync(f, "[]");
    assert.equal(runDiagram([f]).code, 2);
  });

  it("docs/diagrams/ are up to date (run `npm run docs:diagrams` after changing a stack or a price)", async () => {
    for (const doc of await diagramDocs())
      assert.equal(fs.readFileSync(doc.file, "utf8"), doc.text, doc.file);
  });
});

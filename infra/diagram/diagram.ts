/**
 * A Mermaid architecture diagram of a previewed stack, generated from its resource graph (the JSON of
 * `npm run preview -- -f json`): each component is a box (subgraph) holding its notable resources
 * collapsed by kind with counts ("NAT gateway x3"), plus how many other resources it owns; the request
 * path (viewer -> CDN -> load balancer -> service -> database / cache) and the data stores are drawn from
 * the graph's dependencies, WAFs as dotted edges to what they protect. Pure: graph in, Mermaid text out.
 */
import { cloudOf, GraphResource, PreviewGraph } from "../cost/graph";
import { labelOf } from "../cost/estimate";

/** Where a resource type sits on the request path. */
export type Role =
  "cdn" | "waf" | "lb" | "service" | "proxy" | "database" | "cache" | "objects" | "job" | "other";

const ROLES: Record<string, Role> = {
  "aws:cloudfront/distribution:Distribution": "cdn",
  "aws:wafv2/webAcl:WebAcl": "waf",
  "aws:lb/loadBalancer:LoadBalancer": "lb",
  "aws:ecs/service:Service": "service",
  "aws:rds/proxy:Proxy": "proxy",
  "aws:rds/instance:Instance": "database",
  "aws:elasticache/replicationGroup:ReplicationGroup": "cache",
  "aws:s3/bucket:Bucket": "objects",
  "aws:scheduler/schedule:Schedule": "job",
  "gcp:compute/backendBucket:BackendBucket": "cdn",
  "gcp:compute/securityPolicy:SecurityPolicy": "waf",
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": "lb",
  "gcp:cloudrunv2/service:Service": "service",
  "gcp:sql/databaseInstance:DatabaseInstance": "database",
  "gcp:redis/instance:Instance": "cache",
  "gcp:storage/bucket:Bucket": "objects",
  "gcp:cloudrunv2/job:Job": "job",
  "kubernetes:apps/v1:Deployment": "service",
  "gcp:container/cluster:Cluster": "service",
};

/** Request-path edges drawn when the graph connects the two kinds (either depends on the other). */
const PATH: [Role, Role][] = [
  ["cdn", "lb"],
  ["lb", "cdn"],
  ["lb", "service"],
  ["cdn", "objects"],
  ["service", "proxy"],
  ["proxy", "database"],
  ["service", "database"],
  ["service", "cache"],
  ["service", "objects"],
  ["job", "proxy"],
  ["job", "database"],
];

export interface DiagramNode {
  id: string;
  label: string;
  role: Role;
  count: number;
  urns: string[];
}

export interface DiagramBox {
  id: string;
  title: string;
  /** Resources the box owns, all kinds. */
  total: number;
  nodes: DiagramNode[];
}

export interface Diagram {
  boxes: DiagramBox[];
  edges: { from: string; to: string; dotted: boolean; label?: string }[];
  /** The nodes the viewer reaches first (the edge nodes nothing on the path leads to). */
  entries: string[];
}

/** Notable kinds: those on the request path or that cost money by themselves (the estimate's labels). */
function notable(type: string): boolean {
  return type in ROLES || labelOf(type) !== (type.split(":").pop() ?? type);
}

function boxOf(r: GraphResource, byUrn: Map<string, GraphResource>): GraphResource | undefined {
  let p = r.parent ? byUrn.get(r.parent) : undefined;
  while (p && p.custom) p = p.parent ? byUrn.get(p.parent) : undefined;
  return p;
}

export function buildDiagram(graph: PreviewGraph): Diagram {
  const byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
  const boxes = new Map<string, DiagramBox>();
  const nodeOfUrn = new Map<string, DiagramNode>();
  let n = 0;
  for (const r of graph.resources) {
    if (!r.custom || r.type.startsWith("pulumi:providers:")) continue;
    const owner = boxOf(r, byUrn);
    const key = owner && owner.type !== "pulumi:pulumi:Stack" ? owner.urn : "(stack)";
    let box = boxes.get(key);
    if (!box) {
      const title =
        owner && key !== "(stack)" ? `${owner.type.split(":").pop()} ${owner.name}` : `stack ${graph.stack}`;
      box = { id: `b${boxes.size}`, title, total: 0, nodes: [] };
      boxes.set(key, box);
    }
    box.total++;
    if (!notable(r.type)) continue;
    const label = labelOf(r.type);
    let node = box.nodes.find((x) => x.label === label);
    if (!node) {
      node = { id: `n${n++}`, label, role: ROLES[r.type] ?? "other", count: 0, urns: [] };
      box.nodes.push(node);
    }
    node.count++;
    node.urns.push(r.urn);
    nodeOfUrn.set(r.urn, node);
  }
  // Component boxes that own nothing custom (a component of components) still appear.
  for (const r of graph.resources)
    if (!r.custom && r.type !== "pulumi:pulumi:Stack" && !boxes.has(r.urn))
      boxes.set(r.urn, {
        id: `b${boxes.size}`,
        title: `${r.type.split(":").pop()} ${r.name}`,
        total: 0,
        nodes: [],
      });

  const reach = reachability(graph);
  const join = joined(graph);
  const connected = (a: DiagramNode, b: DiagramNode) =>
    a.urns.some((x) => b.urns.some((y) => reach(x).has(y) || reach(y).has(x)));
  // Between a CDN and a load balancer the one that depends on the other is in front of it.
  const inFront = (a: DiagramNode, b: DiagramNode) => a.urns.some((x) => b.urns.some((y) => reach(x).has(y)));
  const protects = (w: DiagramNode, t: DiagramNode) =>
    t.urns.some((y) => w.urns.some((x) => reach(y).has(x) || join(x, y)));
  const nodes = [...boxes.values()].flatMap((b) => b.nodes);
  const edges: Diagram["edges"] = [];
  const seen = new Set<string>();
  const add = (from: DiagramNode, to: DiagramNode, dotted: boolean, label?: string) => {
    const k = `${from.id}>${to.id}`;
    if (seen.has(k) || seen.has(`${to.id}>${from.id}`)) return;
    seen.add(k);
    edges.push({ from: from.id, to: to.id, dotted, label });
  };
  const hasProxy = nodes.some((x) => x.role === "proxy");
  for (const [r1, r2] of PATH) {
    if (hasProxy && r1 !== "proxy" && r2 === "database") continue;
    for (const a of nodes.filter((x) => x.role === r1))
      for (const b of nodes.filter((x) => x.role === r2)) {
        const edge =
          r1 === "cdn" || r1 === "lb"
            ? r2 === "cdn" || r2 === "lb"
              ? inFront(a, b)
              : connected(a, b)
            : connected(a, b);
        if (edge) add(a, b, r1 === "job", r1 === "job" ? "runs" : undefined);
      }
  }
  for (const w of nodes.filter((x) => x.role === "waf"))
    for (const t of nodes.filter((x) => x.role === "cdn" || x.role === "lb"))
      if (protects(w, t)) add(w, t, true, "protects");
  // The viewer enters at the edge node nothing else on the path leads to.
  const targets = new Set(edges.filter((e) => !e.dotted).map((e) => e.to));
  const entries = nodes.filter((x) => (x.role === "cdn" || x.role === "lb") && !targets.has(x.id));
  return { boxes: [...boxes.values()], edges, entries: entries.map((x) => x.id) };
}

/** Secrets a workload reads by reference: their versions carry the value built from a data store. */
const SECRET_VALUES: Record<string, string> = {
  "aws:secretsmanager/secret:Secret": "aws:secretsmanager/secretVersion:SecretVersion",
};

/**
 * What each resource leads to along its dependencies, without passing through another resource on the
 * request path (so a service does not "reach" the bucket of its load balancer's logs) and stepping from a
 * secret to its versions (so a service reading DATABASE_URL reaches the database the value comes from).
 */
function reachability(graph: PreviewGraph): (urn: string) => Set<string> {
  const byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
  const dependents = new Map<string, GraphResource[]>();
  for (const r of graph.resources)
    for (const d of r.dependencies ?? []) dependents.set(d, [...(dependents.get(d) ?? []), r]);
  const memo = new Map<string, Set<string>>();
  return (start) => {
    const hit = memo.get(start);
    if (hit) return hit;
    const out = new Set<string>();
    const stack = [...(byUrn.get(start)?.dependencies ?? [])];
    while (stack.length) {
      const u = stack.pop()!;
      if (out.has(u)) continue;
      out.add(u);
      const r = byUrn.get(u);
      if (!r || ROLES[r.type]) continue;
      stack.push(...(r.dependencies ?? []));
      const versionType = SECRET_VALUES[r.type];
      if (versionType)
        stack.push(...(dependents.get(u) ?? []).filter((v) => v.type === versionType).map((v) => v.urn));
    }
    memo.set(start, out);
    return out;
  };
}

/** Resources joined by an association that depends on both directly (a WAF web ACL association). */
function joined(graph: PreviewGraph): (a: string, b: string) => boolean {
  const pairs = new Set<string>();
  for (const r of graph.resources) {
    if (!/Association/.test(r.type)) continue;
    const d = r.dependencies ?? [];
    for (const x of d) for (const y of d) if (x !== y) pairs.add(`${x} ${y}`);
  }
  return (a, b) => pairs.has(`${a} ${b}`);
}

/** Mermaid text is quoted; quotes inside become the entity Mermaid reads. */
const quote = (s: string) => `"${s.replace(/"/g, "#quot;")}"`;

function shape(node: DiagramNode): string {
  const text = quote(node.count > 1 ? `${node.label} x${node.count}` : node.label);
  if (node.role === "database" || node.role === "cache" || node.role === "objects") return `[(${text})]`;
  if (node.role === "waf") return `{{${text}}}`;
  if (node.role === "cdn" || node.role === "lb") return `([${text}])`;
  return `[${text}]`;
}

export function renderMermaid(d: Diagram): string {
  const out = ["flowchart LR", '  viewer(("viewer"))'];
  for (const b of d.boxes) {
    const others = b.total - b.nodes.reduce((s, x) => s + x.count, 0);
    out.push(`  subgraph ${b.id}[${quote(`${b.title} · ${b.total} resources`)}]`);
    for (const x of b.nodes) out.push(`    ${x.id}${shape(x)}`);
    if (others > 0 || b.nodes.length === 0)
      out.push(`    ${b.id}_more[${quote(`+${others} configuration resources`)}]`);
    out.push("  end");
  }
  for (const id of d.entries) out.push(`  viewer -->|HTTPS| ${id}`);
  for (const e of d.edges) {
    const arrow = e.dotted ? "-.->" : "-->";
    out.push(`  ${e.from} ${arrow}${e.label ? `|${e.label}|` : ""} ${e.to}`);
  }
  return `${out.join("\n")}\n`;
}

/** The diagram as a Markdown section (a fenced `mermaid` block GitHub renders). */
export function renderDiagramMarkdown(graph: PreviewGraph): string {
  return [
    `### Architecture: ${graph.stack}-${cloudOf(graph)}`,
    "",
    "```mermaid",
    renderMermaid(buildDiagram(graph)).trimEnd(),
    "```",
    "",
  ].join("\n");
}

/**
 * A structural check of the Mermaid flowcharts this repository generates (not a full Mermaid parser:
 * `@mermaid-js/parser` does not cover flowcharts, and `mermaid` itself needs a browser DOM). It checks what
 * breaks rendering in practice: the header, balanced `subgraph`/`end`, every node declared once with a
 * quoted label free of raw quotes, and every edge between declared nodes. Returns the problems found.
 */
const NODE = /^([A-Za-z][\w]*)(\(\(|\[\(|\(\[|\{\{|\[)"([^"]*)"(\)\)|\)\]|\]\)|\}\}|\])$/;
const SUBGRAPH = /^subgraph ([A-Za-z][\w]*)\["([^"]*)"\]$/;
const EDGE = /^([A-Za-z][\w]*) (-->|-\.->)(?:\|([^|"]+)\|)? ([A-Za-z][\w]*)$/;
const PAIRS: Record<string, string> = { "((": "))", "[(": ")]", "([": "])", "{{": "}}", "[": "]" };

export function checkFlowchart(text: string): string[] {
  const problems: string[] = [];
  const lines = text.trimEnd().split("\n");
  if (!/^flowchart (LR|TD|TB|RL|BT)$/.test(lines[0] ?? ""))
    problems.push(`line 1: not a flowchart header: ${lines[0]}`);
  const declared = new Set<string>();
  const edges: [number, string, string][] = [];
  let depth = 0;
  lines.slice(1).forEach((raw, i) => {
    const at = `line ${i + 2}`;
    const line = raw.trim();
    if (line === "") {
      problems.push(`${at}: empty line`);
      return;
    }
    if (line === "end") {
      if (--depth < 0) problems.push(`${at}: "end" without "subgraph"`);
      return;
    }
    const sg = SUBGRAPH.exec(line);
    if (sg) {
      depth++;
      if (declared.has(sg[1])) problems.push(`${at}: id ${sg[1]} declared twice`);
      declared.add(sg[1]);
      return;
    }
    const node = NODE.exec(line);
    if (node) {
      if (PAIRS[node[2]] !== node[4]) problems.push(`${at}: shape opens ${node[2]} but closes ${node[4]}`);
      if (declared.has(node[1])) problems.push(`${at}: id ${node[1]} declared twice`);
      declared.add(node[1]);
      return;
    }
    const edge = EDGE.exec(line);
    if (edge) {
      edges.push([i + 2, edge[1], edge[4]]);
      return;
    }
    problems.push(`${at}: not a node, edge, subgraph or end: ${line}`);
  });
  if (depth > 0) problems.push(`${depth} subgraph(s) without "end"`);
  for (const [n, from, to] of edges)
    for (const id of [from, to])
      if (!declared.has(id)) problems.push(`line ${n}: edge to undeclared node ${id}`);
  return problems;
}

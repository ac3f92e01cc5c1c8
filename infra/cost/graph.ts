/**
 * The parts of the offline preview's JSON graph (`npm run preview -- -f json`) that the cost estimate and
 * the diagram read: resources with inputs, parents and dependencies, and the stack's resolved config.
 */
import * as fs from "node:fs";

export interface GraphResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string | null;
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

export interface PreviewGraph {
  /** The project's name. */
  project: string;
  stack: string;
  config?: Record<string, { value: string; secret?: boolean }>;
  resources: GraphResource[];
}

export class GraphError extends Error {}

/** Reads a preview JSON graph; throws GraphError naming the file when it is not one. */
export function readGraph(file: string): PreviewGraph {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new GraphError(`${file}: not readable JSON (${(err as Error).message})`);
  }
  const g = data as {
    project?: unknown;
    stack?: unknown;
    resources?: unknown;
    config?: PreviewGraph["config"];
  };
  // The preview writes `project: { name, dir, main, ... }`; a plain name is accepted too.
  const project = typeof g?.project === "string" ? g.project : get(g?.project, "name");
  if (!g || !Array.isArray(g.resources) || typeof g.stack !== "string" || typeof project !== "string")
    throw new GraphError(
      `${file}: not a preview graph (expected the JSON of \`npm run preview -- -f json\`: project, stack, resources)`,
    );
  return { project, stack: g.stack, config: g.config, resources: g.resources as GraphResource[] };
}

/** A config value of the stack (`meridian:minInstances`), or undefined. */
export function configValue(g: PreviewGraph, key: string): string | undefined {
  return g.config?.[key]?.value;
}

/** The stack's cloud: `meridian:cloud`-style `<project>:cloud`, else the provider of its resources. */
export function cloudOf(g: PreviewGraph): string {
  const configured = configValue(g, `${g.project}:cloud`);
  if (configured) return configured;
  const pkgs = new Set(g.resources.filter((r) => r.custom).map((r) => r.type.split(":")[0]));
  return pkgs.has("aws") ? "aws" : pkgs.has("gcp") ? "gcp" : "unknown";
}

/** Nested string/number lookup: `get(r.inputs, "template", "scaling", "minInstanceCount")`. */
export function get(obj: unknown, ...keys: (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const k of keys) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

export function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

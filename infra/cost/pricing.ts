/**
 * What a per-type pricing rule receives and returns. A rule turns one resource's inputs (instance class,
 * node type, count, storage GB, min instances, multi-AZ...) and the catalogue's assumptions into priced
 * items; `item()` multiplies a quantity by a catalogue price and fails with `Unpriceable` when the
 * catalogue has no such price (the resource is then reported as unpriced, with that reason).
 */
import { Assumptions, Catalogue, Price } from "./catalogue";
import { configValue, GraphResource, num, PreviewGraph } from "./graph";

/** One priced part of a resource's monthly cost. */
export interface Item {
  /** What is counted: "instance hours (Multi-AZ: 2 instances)". */
  label: string;
  quantity: number;
  /** Unit of the quantity (the price's unit). */
  unit: string;
  /** Catalogue key of the price. */
  price: string;
  /** USD per month. */
  amount: number;
}

/** A rule's verdict on a resource. */
export type Priced =
  | { kind: "priced"; items: Item[]; notes?: string[]; detail?: string }
  | { kind: "usage"; reason: string }
  | { kind: "free"; reason: string };

export class Unpriceable extends Error {}

export interface PricingContext {
  graph: PreviewGraph;
  catalogue: Catalogue;
  a: Assumptions;
  byUrn: Map<string, GraphResource>;
  /** `quantity` x the catalogue price `key`. */
  item(label: string, quantity: number, key: string): Item;
  /** The stack's config value as a number. */
  configNumber(key: string): number | undefined;
  ofType(type: string): GraphResource[];
}

export type Rule = (r: GraphResource, ctx: PricingContext) => Priced;

export function makeContext(graph: PreviewGraph, catalogue: Catalogue): PricingContext {
  const byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
  return {
    graph,
    catalogue,
    a: catalogue.assumptions,
    byUrn,
    item(label, quantity, key) {
      const p: Price | undefined = catalogue.prices[key];
      if (!p) throw new Unpriceable(`no price "${key}" in the catalogue`);
      return { label, quantity, unit: p.unit, price: key, amount: quantity * p.price };
    },
    configNumber: (key) => num(configValue(graph, key)),
    ofType: (type) => graph.resources.filter((r) => r.type === type),
  };
}

export const priced = (items: Item[], notes?: string[], detail?: string): Priced => ({
  kind: "priced",
  items,
  notes: notes?.length ? notes : undefined,
  detail,
});

/**
 * How many instances run once the service has an image: the graph's own count when it is above zero, else
 * the stack's `<project>:minInstances` (Meridian runs 0 until `meridian:image` is set), with a note.
 */
export function runningCount(fromGraph: number | undefined, ctx: PricingContext, notes: string[]): number {
  if (fromGraph !== undefined && fromGraph > 0) return fromGraph;
  const key = `${ctx.graph.project}:minInstances`;
  const configured = ctx.configNumber(key);
  if (configured !== undefined && configured > 0) {
    notes.push(`runs 0 until an image is set; estimated at ${key} = ${configured}`);
    return configured;
  }
  return fromGraph ?? 0;
}

/** "1", "0.5", "1000m" -> vCPUs. */
export function parseCpu(v: unknown): number | undefined {
  if (typeof v === "string" && v.endsWith("m")) return num(v.slice(0, -1))! / 1000;
  return num(v);
}

/** "512Mi", "2Gi", "1G" -> GiB. */
export function parseGib(v: unknown): number | undefined {
  if (typeof v !== "string") return undefined;
  const m = /^(\d+(?:\.\d+)?)(Mi|Gi|M|G)$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2].startsWith("M") ? n / 1024 : n;
}

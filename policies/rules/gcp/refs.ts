/**
 * How a GCP rule finds the resource another one points at (a proxy's SSL policy or URL map, a backend
 * service's Cloud Armor policy), and reads properties that may be unknown during preview.
 */
import type { StackRes } from "../../lib/rule";
import { peek } from "../../lib/util";

export type Obj = Record<string, unknown>;

/** A Compute resource reference without the API prefix: `projects/p/global/urlMaps/m`. */
export function computePath(v: unknown): string | undefined {
  if (typeof v !== "string" || !v) return undefined;
  return v.replace(/^https:\/\/(www|compute)\.googleapis\.com\/compute\/(v1|beta|alpha)\//, "");
}

/**
 * The resources in the stack of one of `types` that property `prop` of `r` designates: through the
 * dependency graph first (during a preview the target's self link is unknown), then by the target's
 * `selfLink`, `id` or `name` output (with or without the API prefix).
 */
export function referencedAll(r: StackRes, prop: string, types: string[], all: StackRes[]): StackRes[] {
  const deps = (r.propertyDependencies[prop] ?? []).filter((d) => types.includes(d.type));
  if (deps.length) return deps;
  const ref = computePath(peek(r.props, prop));
  if (!ref) return [];
  const last = ref.split("/").pop();
  return all.filter((x) => {
    if (!types.includes(x.type)) return false;
    if ([peek(x.props, "selfLink"), peek(x.props, "id")].some((v) => computePath(v) === ref)) return true;
    const name = peek(x.props, "name");
    return typeof name === "string" && (name === ref || (ref.includes("/") && name === last));
  });
}

/** The first resource {@link referencedAll} finds. */
export function referenced(
  r: StackRes,
  prop: string,
  types: string[],
  all: StackRes[],
): StackRes | undefined {
  return referencedAll(r, prop, types, all)[0];
}

/** Whether a property is set; an unknown value counts as set (an unknown backend is still a backend). */
export function isSet(o: Obj, key: string): boolean {
  try {
    const v = o[key];
    return v !== undefined && v !== null && v !== "";
  } catch (e) {
    if ((e as Error).constructor?.name === "UnknownValueError") return true;
    throw e;
  }
}

/** Whether a property is unknown during preview (moved to lib/util.ts, shared by every cloud). */
export { isUnknown } from "../../lib/util";

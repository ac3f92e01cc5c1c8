/** Helpers shared by rules: JSON documents inside properties, IAM statements, lists. */

/** A property that may hold a JSON document as a string (the usual wire form) or as an object. */
export function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Wraps a value in an array (IAM and Kubernetes fields accept both forms). */
export function asArray<T>(v: T | T[] | undefined | null): T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

export interface IamStatement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Statements of an IAM policy document (string or object); undefined when it is not a document. */
export function iamStatements(doc: unknown): IamStatement[] | undefined {
  const parsed = parseJson(doc) as { Statement?: IamStatement | IamStatement[] } | undefined;
  if (!parsed || typeof parsed !== "object") return undefined;
  return asArray(parsed.Statement);
}

/** The principals of a statement, flattened to `Type:value` strings (`*` for the bare wildcard). */
export function principals(st: IamStatement): string[] {
  const p = st.Principal;
  if (p === undefined) return [];
  if (typeof p === "string") return [p === "*" ? "*" : `AWS:${p}`];
  const out: string[] = [];
  for (const [type, v] of Object.entries(p as Record<string, unknown>)) {
    for (const x of asArray(v as string | string[])) out.push(`${type}:${x}`);
  }
  return out;
}

/** A short readable form of a value for messages. */
export function show(v: unknown): string {
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** Parses a port range `from-to` (numbers, `-1` meaning all) and says whether it contains a port. */
export function portInRange(port: number, from: unknown, to: unknown): boolean {
  const f = Number(from);
  const t = Number(to);
  if (f === -1 || t === -1 || (f === 0 && t === 0)) return true; // all ports
  return f <= port && port <= t;
}

/**
 * Reads a property without failing when it is unknown during preview: for matching resources to each
 * other (an unknown id matches nothing; the dependency graph is used first). Checks themselves read
 * properties directly, so an unknown value they need becomes "cannot check during preview".
 */
export function peek(props: Record<string, unknown>, key: string): unknown {
  try {
    return props[key];
  } catch (e) {
    if ((e as Error).constructor?.name === "UnknownValueError") return undefined;
    throw e;
  }
}

/** Whether a property is unknown during preview (reading it would throw the SDK's UnknownValueError). */
export function isUnknown(props: Record<string, unknown>, key: string): boolean {
  try {
    void props[key];
    return false;
  } catch (e) {
    if ((e as Error).constructor?.name === "UnknownValueError") return true;
    throw e;
  }
}

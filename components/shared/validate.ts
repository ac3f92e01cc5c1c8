/**
 * Argument validation shared by Meridian's components: every error names the argument, quotes the bad
 * value and says what is allowed, and is raised before any resource is registered.
 */

/** Quotes a value for an error message (strings quoted; NaN and Infinity shown as such, not as JSON's null). */
export function show(v: unknown): string {
  if (typeof v === "string") return `"${v}"`;
  if (typeof v === "number") return String(v);
  return JSON.stringify(v) ?? String(v);
}

/** Returns `value` when it is one of `allowed`; otherwise throws `<arg> is <value>; allowed: <list>`. */
export function oneOf<T extends string | number>(arg: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new Error(`${arg} is ${show(value)}; allowed: ${allowed.map(show).join(", ")}`);
  }
  return value as T;
}

/** Returns `value` when it is an integer in [min, max]; otherwise throws naming the arg and the range. */
export function intIn(arg: string, value: unknown, min: number, max: number, what = ""): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${arg} is ${show(value)}; allowed: an integer from ${min} to ${max}${what}`);
  }
  return value;
}

/** Returns `value` when it is a boolean; otherwise throws `<arg> is <value>; allowed: true or false`. */
export function bool(arg: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new Error(`${arg} is ${show(value)}; allowed: true or false`);
  return value;
}

/**
 * Runs a component's argument resolution and prefixes any error with the component and its name,
 * e.g. `Network "meridian-dev-network": cidr "10.0.0.0/33" is not an IPv4 CIDR: ...`. Call it before
 * `super(...)` so invalid args never register anything.
 */
export function resolveArgs<T>(component: string, name: string, resolve: () => T): T {
  try {
    return resolve();
  } catch (e) {
    throw new Error(`${component} "${name}": ${(e as Error).message}`);
  }
}

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

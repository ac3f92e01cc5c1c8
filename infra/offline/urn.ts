/**
 * URNs exactly as the Pulumi engine builds them (sdk/go/common/resource/urn/urn.go `New`, and
 * pkg/resource/deploy/deployment.go `generateURN`):
 * `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where the qualified type of a resource is
 * its parent's qualified type, `$`, its own type — except that a parent that is the root stack (or no
 * parent) adds nothing. So top-level resources carry their bare type, and a resource inside a component
 * inside a component carries the whole chain `A$B$type`.
 */

/** The root stack's type: never part of a child's qualified type. */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** The engine's URN for a resource of `type` named `name` under `parent` (a URN, or "" for none). */
export function engineUrn(
  stack: string,
  project: string,
  parent: string,
  type: string,
  name: string,
): string {
  const parentType = parent ? urnQualifiedType(parent) : "";
  const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The qualified type of a URN (`A$B$type`): its third `::` part. */
export function urnQualifiedType(urn: string): string {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:"))
    throw new Error(`not a Pulumi URN: "${urn}" (expected urn:pulumi:<stack>::<project>::<type>::<name>)`);
  return parts[2];
}

/** The resource type of a URN: the last element of its qualified type. */
export function urnType(urn: string): string {
  return urnQualifiedType(urn).split("$").pop() ?? "";
}

/** The resource name of a URN: everything after the type (names may themselves contain `::`). */
export function urnName(urn: string): string {
  urnQualifiedType(urn);
  return urn.split("::").slice(3).join("::");
}

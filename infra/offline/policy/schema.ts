/**
 * A JSON-schema validator for policy config, in the wording of gojsonschema (the library the Pulumi CLI
 * validates policy config with): each error is `<field>: <description>`, the field a dotted path from the
 * root (`waivers.0.rule`), root errors without a field (the CLI trims `(root): `).
 *
 * Supports what policy config schemas use: type (incl. integer and type lists), enum, const, properties,
 * required, additionalProperties (boolean or schema), items, min/maxItems, minimum/maximum,
 * exclusiveMinimum/Maximum (numbers), min/maxLength, pattern. Unknown keywords are ignored, as JSON schema
 * requires.
 */

type Schema = Record<string, unknown>;

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function matchesType(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === "number" && actual === "integer");
}

const show = (v: unknown) => JSON.stringify(v);

/** Validates `value` against `schema`; returns the errors (empty when valid). */
export function validateSchema(schema: Schema, value: unknown, field = "(root)"): string[] {
  const errors: string[] = [];
  const at = (msg: string) => errors.push(field === "(root)" ? msg : `${field}: ${msg}`);
  const child = (k: string | number) => (field === "(root)" ? String(k) : `${field}.${k}`);

  if (schema.type !== undefined) {
    const types = (Array.isArray(schema.type) ? schema.type : [schema.type]) as string[];
    if (!types.some((t) => matchesType(value, t))) {
      at(`Invalid type. Expected: ${types.join(", ")}, given: ${typeOf(value)}`);
      return errors;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => show(e) === show(value)))
    at(`${field} must be one of the following: ${schema.enum.map(show).join(", ")}`);
  if ("const" in schema && show(schema.const) !== show(value))
    at(`${field} does not match: ${show(schema.const)}`);

  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum)
      at(`Must be greater than or equal to ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum)
      at(`Must be less than or equal to ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum)
      at(`Must be greater than ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum)
      at(`Must be less than ${schema.exclusiveMaximum}`);
  }
  if (typeof value === "string") {
    const len = [...value].length;
    if (typeof schema.minLength === "number" && len < schema.minLength)
      at(`String length must be greater than or equal to ${schema.minLength}`);
    if (typeof schema.maxLength === "number" && len > schema.maxLength)
      at(`String length must be less than or equal to ${schema.maxLength}`);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value))
      at(`Does not match pattern '${schema.pattern}'`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems)
      at(`Array must have at least ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems)
      at(`Array must have at most ${schema.maxItems} items`);
    if (schema.items && typeof schema.items === "object" && !Array.isArray(schema.items))
      value.forEach((x, i) => errors.push(...validateSchema(schema.items as Schema, x, child(i))));
  }
  if (typeOf(value) === "object") {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const r of (schema.required ?? []) as string[]) if (!(r in obj)) at(`${r} is required`);
    for (const [k, v] of Object.entries(obj)) {
      if (props[k] && typeof props[k] === "object") errors.push(...validateSchema(props[k], v, child(k)));
      else if (schema.additionalProperties === false) at(`Additional property ${k} is not allowed`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === "object")
        errors.push(...validateSchema(schema.additionalProperties as Schema, v, child(k)));
    }
  }
  return errors;
}

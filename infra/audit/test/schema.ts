/**
 * Validates a document against the published deployment schema of `pulumi stack export`
 * (pulumi/pulumi `sdk/go/common/apitype/{deployments,resources,property-values}.json`, copied unchanged into
 * ../fixtures/schema from commit 1b59498, 2026-08-21), with Ajv's JSON Schema 2020-12 validator.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";

const dir = path.join(__dirname, "..", "fixtures", "schema");
const load = (name: string) => JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), "utf8"));

let validate: ReturnType<Ajv2020["compile"]> | undefined;

/**
 * Fields of apitype.ResourceV3 (core.go) that the published resources.json does not list yet although it
 * forbids additional properties: `pulumi stack export` itself writes them (sourcePosition, created,
 * modified...). They are checked by the tests that read them, and left out of the schema check.
 */
export const GO_ONLY_FIELDS = [
  "taint",
  "retainOnDelete",
  "deletedWith",
  "replaceWith",
  "replacementTrigger",
  "created",
  "modified",
  "sourcePosition",
  "stackTrace",
  "ignoreChanges",
  "hideDiff",
  "replaceOnChanges",
  "refreshBeforeUpdate",
  "viewOf",
  "resourceHooks",
  "extensionRef",
];

function withoutGoOnlyFields(doc: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as {
    deployment?: { resources?: unknown; pending_operations?: unknown };
  };
  const strip = (r: unknown) => {
    if (r && typeof r === "object") for (const f of GO_ONLY_FIELDS) delete (r as Record<string, unknown>)[f];
  };
  const d = copy?.deployment;
  if (Array.isArray(d?.resources)) d.resources.forEach(strip);
  if (Array.isArray(d?.pending_operations))
    d.pending_operations.forEach((op: unknown) => strip((op as { resource?: unknown })?.resource));
  return copy;
}

/** The schema errors of `doc` (`instancePath: message`), or [] when it conforms. */
export function deploymentSchemaErrors(doc: unknown): string[] {
  doc = withoutGoOnlyFields(doc);
  if (!validate) {
    // `format` is an annotation here (date-time); the schema's own tests do not assert it either.
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    // Ajv does not register an `$anchor` on the root of a schema that has an `$id`; `#property_value` is
    // that root, so its references are pointed at `#` (the same schema) — the only change.
    const values = JSON.parse(JSON.stringify(load("property-values")).replaceAll('"#property_value"', '"#"'));
    ajv.addSchema(values);
    ajv.addSchema(load("resources"));
    validate = ajv.compile(load("deployments"));
  }
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message ?? e.keyword}`);
}

/**
 * The priced catalogue (infra/cost/prices.yaml): list prices with region, date and source page, the usage
 * assumptions of a monthly estimate, and the types that are free or billed only by usage. Validated on load
 * with a JSON schema (ajv); every problem names the entry and the field, all at once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { ErrorObject } from "ajv";
import * as yaml from "js-yaml";

/** One list price. */
export interface Price {
  /** USD per `unit`. */
  price: number;
  unit: string;
  region: string;
  /** When the price was read, YYYY-MM-DD. */
  date: string;
  /** The provider's official pricing page. */
  source: string;
  /** verified: read on `source`; corroborated: read on `seenOn`; unverified: `why` says why. */
  status: "verified" | "corroborated" | "unverified";
  seenOn?: string;
  why?: string;
}

/** Usage the estimate assumes (stated in every report). */
export interface Assumptions {
  hoursPerMonth: number;
  edgeRequestsPerMonth: number;
  cdnEgressGbPerMonth: number;
  natProcessedGbPerGateway: number;
  albLcuAverage: number;
  logIngestGbPerGroup: number;
  /** GiB a month of Data Access audit log entries (GCP meridian:accountBaseline). */
  auditLogIngestGbPerMonth: number;
  objectStorageGbPerBucket: number;
  imageStorageGb: number;
  jobRunsPerMonth: number;
  jobMinutesPerRun: number;
  backupStoredGbFactor: number;
}

export interface Catalogue {
  assumptions: Assumptions;
  prices: Record<string, Price>;
  /** Type (or `type#variant`) -> what drives its cost. */
  usageOnly: Record<string, string>;
  /** Type patterns (`aws:iam/*`, `pulumi:*`) that cost nothing by themselves. */
  free: string[];
}

export const DEFAULT_CATALOGUE = path.join(__dirname, "prices.yaml");

const ASSUMPTION_KEYS: (keyof Assumptions)[] = [
  "hoursPerMonth",
  "edgeRequestsPerMonth",
  "cdnEgressGbPerMonth",
  "natProcessedGbPerGateway",
  "albLcuAverage",
  "logIngestGbPerGroup",
  "auditLogIngestGbPerMonth",
  "objectStorageGbPerBucket",
  "imageStorageGb",
  "jobRunsPerMonth",
  "jobMinutesPerRun",
  "backupStoredGbFactor",
];

const url = { type: "string", pattern: "^https://" };
const SCHEMA = {
  type: "object",
  required: ["assumptions", "prices", "usageOnly", "free"],
  additionalProperties: false,
  properties: {
    assumptions: {
      type: "object",
      required: ASSUMPTION_KEYS,
      additionalProperties: false,
      properties: Object.fromEntries(ASSUMPTION_KEYS.map((k) => [k, { type: "number", minimum: 0 }])),
    },
    prices: {
      type: "object",
      additionalProperties: {
        type: "object",
        required: ["price", "unit", "region", "date", "source", "status"],
        additionalProperties: false,
        properties: {
          price: { type: "number", minimum: 0 },
          unit: { type: "string", minLength: 1 },
          region: { type: "string", minLength: 1 },
          date: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
          source: url,
          status: { enum: ["verified", "corroborated", "unverified"] },
          seenOn: url,
          why: { type: "string", minLength: 1 },
        },
        allOf: [
          { if: { properties: { status: { const: "corroborated" } } }, then: { required: ["seenOn"] } },
          { if: { properties: { status: { const: "unverified" } } }, then: { required: ["why"] } },
        ],
      },
    },
    usageOnly: { type: "object", additionalProperties: { type: "string", minLength: 1 } },
    free: { type: "array", items: { type: "string", minLength: 1 } },
  },
};

export class CatalogueError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem(s) in the price catalogue:\n  ${problems.join("\n  ")}`);
    this.name = "CatalogueError";
  }
}

/** `prices/aws.nat.hour/price` -> `prices["aws.nat.hour"].price` (entry names contain dots). */
function describe(e: ErrorObject): string {
  const parts = e.instancePath.split("/").slice(1);
  let where = parts[0] ?? "(top level)";
  if (parts.length > 1) where += parts[0] === "prices" ? `["${parts[1]}"]` : `.${parts[1]}`;
  if (parts.length > 2) where += `.${parts.slice(2).join(".")}`;
  if (e.keyword === "required") return `${where}: missing field "${e.params.missingProperty}"`;
  if (e.keyword === "additionalProperties") return `${where}: unknown field "${e.params.additionalProperty}"`;
  if (e.keyword === "enum") return `${where}: ${e.message} (${e.params.allowedValues.join(", ")})`;
  return `${where}: ${e.message}`;
}

/** Validates a parsed catalogue; throws CatalogueError listing every problem. */
export function validateCatalogue(data: unknown, file = "catalogue"): Catalogue {
  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile(SCHEMA);
  if (!validate(data)) {
    const problems = (validate.errors ?? []).filter((e) => e.keyword !== "if").map(describe);
    throw new CatalogueError(file, [...new Set(problems)]);
  }
  return data as unknown as Catalogue;
}

/** Reads and validates the catalogue file (YAML or JSON). */
export function loadCatalogue(file = DEFAULT_CATALOGUE): Catalogue {
  let data: unknown;
  try {
    data = yaml.load(fs.readFileSync(file, "utf8"), { schema: yaml.JSON_SCHEMA });
  } catch (err) {
    throw new CatalogueError(file, [(err as Error).message.split("\n")[0]]);
  }
  return validateCatalogue(data, file);
}

/** Whether `type` matches a free pattern (`aws:iam/*` matches every IAM type, `pulumi:*` a package). */
export function isFree(c: Catalogue, type: string): boolean {
  return c.free.some((p) => (p.endsWith("*") ? type.startsWith(p.slice(0, -1)) : p === type));
}

/**
 * Physical names within each cloud's limits.
 *
 * Every physical name Meridian sets goes through {@link physicalName}, which knows the length and
 * character-set rules of the resource kind, folds the input to ASCII (a lesson from real accounts:
 * AWS and GCP reject accented characters in names and descriptions), and, when a name is too long,
 * truncates it deterministically with a short hash of the full name so two long names never collide
 * and the same input always yields the same name (no surprise replacement).
 */
import { createHash } from "node:crypto";

/** How a kind of physical name is constrained by its cloud. */
export interface NameRule {
  /** Maximum length in characters. */
  max: number;
  /** Minimum length in characters. */
  min: number;
  /** Fold to lower case (GCP everywhere, S3, RDS, ElastiCache). */
  lowercase: boolean;
  /** Characters allowed besides ASCII letters and digits (all others become the separator). */
  extra: string;
  /** The first character must be a letter. */
  startLetter: boolean;
  /** The last character must be a letter or digit. */
  endAlnum: boolean;
  /** Two consecutive hyphens are not allowed (RDS, ElastiCache). */
  noDoubleHyphen: boolean;
  /** Where the rule comes from, for error messages and docs. */
  source: string;
}

const rule = (r: Partial<NameRule> & Pick<NameRule, "max" | "source">): NameRule => ({
  min: 1,
  lowercase: false,
  extra: "-",
  startLetter: false,
  endAlnum: true,
  noDoubleHyphen: false,
  ...r,
});

/**
 * The name rules Meridian knows, by kind. Limits are the clouds' documented ones.
 */
export const NAME_RULES = {
  /** Generic AWS `Name` tag and most AWS names (tag values allow 256). */
  "aws:tag": rule({ max: 256, extra: "-_.:/=+@ ", source: "AWS tag value" }),
  /** Application/Network Load Balancer name. */
  "aws:lb": rule({ max: 32, startLetter: true, source: "ELBv2 load balancer name (32, alnum and hyphens)" }),
  /** ELBv2 target group name. */
  "aws:targetGroup": rule({ max: 32, startLetter: true, source: "ELBv2 target group name (32)" }),
  /** S3 bucket name (no dots: dots break virtual-hosted TLS). */
  "aws:s3": rule({ min: 3, max: 63, lowercase: true, source: "S3 bucket name (3-63, lowercase)" }),
  /** IAM role or policy name. */
  "aws:iam": rule({ max: 64, extra: "-_+=,.@", source: "IAM role name (64)" }),
  /** RDS DB instance / cluster / parameter group identifier. */
  "aws:rds": rule({
    max: 63,
    lowercase: true,
    startLetter: true,
    noDoubleHyphen: true,
    source: "RDS identifier (63, lowercase, starts with a letter, no '--')",
  }),
  /** ElastiCache replication group id. */
  "aws:elasticache": rule({
    max: 40,
    lowercase: true,
    startLetter: true,
    noDoubleHyphen: true,
    source: "ElastiCache replication group id (40, lowercase, no '--')",
  }),
  /** EC2 security group name. */
  "aws:securityGroup": rule({ max: 255, extra: "-_.", source: "EC2 security group name (255)" }),
  /** CloudWatch log group name. */
  "aws:logGroup": rule({ max: 512, extra: "-_./#", endAlnum: false, source: "CloudWatch log group (512)" }),
  /** ECS cluster / service / task family. */
  "aws:ecs": rule({ max: 255, extra: "-_", source: "ECS name (255)" }),
  /** Secrets Manager secret name. */
  "aws:secret": rule({ max: 512, extra: "-_/+=.@", source: "Secrets Manager name (512)" }),
  /** GCP resource names (RFC 1035): networks, subnets, routers, firewalls, addresses, ... */
  "gcp:resource": rule({
    max: 63,
    lowercase: true,
    startLetter: true,
    source: "GCP resource name (RFC 1035: 63, [a-z]([-a-z0-9]*[a-z0-9])?)",
  }),
  /** GCP service account id (the part before @). */
  "gcp:serviceAccount": rule({
    min: 6,
    max: 30,
    lowercase: true,
    startLetter: true,
    source: "GCP service account id (6-30)",
  }),
  /** Cloud Run service name. */
  "gcp:cloudRun": rule({
    max: 49,
    lowercase: true,
    startLetter: true,
    source: "Cloud Run service name (49)",
  }),
  /** Serverless VPC Access connector name. */
  "gcp:vpcConnector": rule({
    max: 25,
    lowercase: true,
    startLetter: true,
    source: "Serverless VPC Access connector name (25)",
  }),
  /** Secret Manager secret id. */
  "gcp:secret": rule({
    max: 255,
    extra: "-_",
    source: "Secret Manager secret id (255, letters, digits, '-' and '_')",
  }),
  /** Cloud SQL instance id (the project id is prepended by Google; keep it short). */
  "gcp:sqlInstance": rule({
    max: 80,
    lowercase: true,
    startLetter: true,
    source: "Cloud SQL instance id (lowercase letters, digits, hyphens; starts with a letter)",
  }),
  /** Memorystore for Redis instance id. */
  "gcp:redis": rule({
    max: 40,
    lowercase: true,
    startLetter: true,
    source: "Memorystore instance id (40, lowercase, starts with a letter)",
  }),
  /** Artifact Registry repository id. */
  "gcp:artifactRepository": rule({
    max: 63,
    lowercase: true,
    startLetter: true,
    source: "Artifact Registry repository id (63, lowercase, starts with a letter)",
  }),
  /** Cloud Scheduler job name. */
  "gcp:schedulerJob": rule({
    max: 500,
    extra: "-_",
    source: "Cloud Scheduler job id (500, letters, digits, '-' and '_')",
  }),
  /** Cloud Logging bucket id. */
  "gcp:logBucket": rule({
    max: 100,
    extra: "-_",
    source: "Cloud Logging bucket id (100, letters, digits, '-' and '_')",
  }),
  /** Cloud Storage bucket name (no dots). */
  "gcp:bucket": rule({
    min: 3,
    max: 63,
    lowercase: true,
    extra: "-_",
    source: "Cloud Storage bucket (3-63)",
  }),
} as const satisfies Record<string, NameRule>;

/** A kind of physical name with known limits. */
export type NameKind = keyof typeof NAME_RULES;

/**
 * Folds text to ASCII: decomposes accented letters and drops the marks (e.g. "Santo Domingo Este,
 * Peravia" stays, "Educacion" from "Educación"); characters with no ASCII form become `replacement`.
 */
export function toAscii(text: string, replacement = "-"): string {
  return (
    text
      .normalize("NFKD")
      // combining diacritical marks
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^\x20-\x7e]/g, replacement)
  );
}

/** A short, stable hash of a string (hex). */
export function shortHash(text: string, length = 6): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/**
 * Builds a physical name of the given kind from parts, joined by hyphens.
 *
 * The result satisfies the kind's rule or the function throws an error naming the kind and the input.
 *
 * @example physicalName("aws:lb", "meridian-prod", "api") // "meridian-prod-api"
 * @example physicalName("gcp:vpcConnector", "meridian-production-europe", "connector")
 *          // "meridian-production-3c1f0a" (truncated with a hash of the full name)
 */
export function physicalName(kind: NameKind, ...parts: string[]): string {
  const r: NameRule = NAME_RULES[kind];
  const full = parts.filter((p) => p !== "").join("-");
  if (full.trim() === "") throw new Error(`physicalName(${kind}): the name is empty; pass at least one part`);

  let name = toAscii(full);
  if (r.lowercase) name = name.toLowerCase();
  const allowed = new RegExp(`[^A-Za-z0-9${escapeClass(r.extra)}]`, "g");
  name = name.replace(allowed, "-");
  name = name.replace(/-{2,}/g, "-");
  if (r.endAlnum || r.startLetter) name = name.replace(/^[^A-Za-z0-9]+/, "");
  if (r.endAlnum) name = name.replace(/[^A-Za-z0-9]+$/, "");
  if (r.startLetter && !/^[A-Za-z]/.test(name)) name = `m-${name}`.replace(/-$/, "");

  if (name.length > r.max) {
    const hash = shortHash(full);
    let head = name.slice(0, r.max - hash.length - 1);
    if (r.endAlnum) head = head.replace(/[^A-Za-z0-9]+$/, "");
    name = `${head}-${hash}`;
  }
  while (name.length < r.min) name = `${name}-${shortHash(full, r.min - name.length)}`.slice(0, r.max);

  const problem = checkName(kind, name);
  if (problem)
    throw new Error(`physicalName(${kind}) could not make a valid name from "${full}": ${problem}`);
  return name;
}

/**
 * Checks a name against its kind's rule; returns what is wrong, or undefined when it is valid.
 * Useful to validate names a user passes in (e.g. an existing bucket name).
 */
export function checkName(kind: NameKind, name: string): string | undefined {
  const r: NameRule = NAME_RULES[kind];
  if (name.length < r.min || name.length > r.max)
    return `length ${name.length} is outside ${r.min}-${r.max} (${r.source})`;
  if (/[^\x20-\x7e]/.test(name)) return `contains non-ASCII characters (${r.source})`;
  const allowed = new RegExp(`^[A-Za-z0-9${escapeClass(r.extra)}]+$`);
  if (!allowed.test(name)) return `contains characters outside [A-Za-z0-9${r.extra}] (${r.source})`;
  if (r.lowercase && name !== name.toLowerCase()) return `must be lowercase (${r.source})`;
  if (r.startLetter && !/^[A-Za-z]/.test(name)) return `must start with a letter (${r.source})`;
  if (r.endAlnum && !/[A-Za-z0-9]$/.test(name)) return `must end with a letter or digit (${r.source})`;
  if (r.noDoubleHyphen && name.includes("--")) return `must not contain '--' (${r.source})`;
  return undefined;
}

/**
 * Checks that a free-text description is ASCII-only. AWS security groups, WAF rules and several other
 * APIs reject descriptions with accents at deploy time, long after a preview passed.
 */
export function asciiDescription(text: string, field = "description"): string {
  const bad = [...text].filter((c) => !/[\x20-\x7e]/.test(c));
  if (bad.length > 0) {
    throw new Error(
      `${field} must be ASCII-only (AWS and GCP reject other characters at deploy time); ` +
        `found ${JSON.stringify(bad.join(""))} in ${JSON.stringify(text)}. Suggested: ${JSON.stringify(toAscii(text, "?"))}`,
    );
  }
  return text;
}

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, (c) => `\\${c}`);
}

/**
 * Meridian's stack configuration: one typed object from Pulumi config, validated before any resource is
 * created.
 *
 * Every `meridian:*` key is defined once in {@link KNOWN_KEYS} (type, allowed values, default per profile,
 * description); docs/config.md mirrors that table. `parseConfig` checks every key and cross-key rule and
 * reports ALL problems at once, each naming the key, the bad value and what is allowed.
 */
import * as pulumi from "@pulumi/pulumi";

export type Cloud = "aws" | "gcp";
export type Profile = "dev" | "prod";
export type NatStrategy = "none" | "single" | "perAz";
export type ServerlessEgress = "direct" | "connector";

/** The validated configuration of one stack. */
export interface MeridianConfig {
  project: string;
  stack: string;
  cloud: Cloud;
  profile: Profile;
  appName: string;
  /** Base for physical names: `${appName}-${stack}`. */
  baseName: string;
  /** Standard tag inputs; environment is the stack name. */
  tags: { app: string; environment: string; owner: string; costCenter: string };
  image?: string;
  domain?: string;
  alertEmail?: string;
  logRetentionDays: number;
  aws: { region: string; vpcCidr: string; azCount: number; natStrategy: NatStrategy };
  gcp: {
    project: string;
    region: string;
    subnetCidr: string;
    privateServicesCidr: string;
    serverlessEgress: ServerlessEgress;
    connectorCidr: string;
  };
  service: { cpu: number; memoryMiB: number; minInstances: number; maxInstances: number; spot: boolean };
  database: {
    postgresVersion: "16" | "17";
    instanceClass: string;
    tier: string;
    storageGb: number;
    maxStorageGb: number;
    highAvailability: boolean;
    proxy: boolean;
    backupRetentionDays: number;
    deletionProtection: boolean;
  };
  cache: { nodeType: string; memoryGb: number; replicas: number };
}

/** One problem with one key (or a rule across keys, named by the first key). */
export interface ConfigProblem {
  key: string;
  value: string | undefined;
  message: string;
}

/**
 * Invalid configuration. A `pulumi.RunError`, so the Pulumi CLI (and the offline engine) print the
 * message without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
  constructor(
    readonly problems: ConfigProblem[],
    stack: string,
    secretKeys: string[] = [],
  ) {
    super(formatProblems(problems, stack, secretKeys));
    this.name = "ConfigError";
  }
}

/** CloudWatch Logs' allowed retention values, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

type Kind = "string" | "integer" | "number" | "boolean";
type PerProfile<T> = T | { dev: T; prod: T } | ((p: Profile, cloud: Cloud | undefined) => T);

/** The definition of one `meridian:*` key. */
export interface KeyDef {
  kind: Kind;
  description: string;
  /** Allowed values, for enumerations. */
  allowed?: readonly string[];
  /** Default (absent = optional without default, or required when `required`). */
  default?: PerProfile<string | number | boolean>;
  required?: boolean;
  /** Which cloud uses the key ("both" when cloud-neutral). */
  cloud: Cloud | "both";
}

const pp = <T>(dev: T, prod: T) => ({ dev, prod });

/** Every `meridian:*` key. The single source for validation, defaults, suggestions and docs/config.md. */
export const KNOWN_KEYS: Record<string, KeyDef> = {
  cloud: {
    kind: "string",
    allowed: ["aws", "gcp"],
    required: true,
    cloud: "both",
    description: "Which cloud the stack deploys to.",
  },
  profile: {
    kind: "string",
    allowed: ["dev", "prod"],
    cloud: "both",
    description:
      'Sizing and safety profile. Default: "prod" for stacks named prod, prod-*, production*; else "dev".',
  },
  appName: {
    kind: "string",
    cloud: "both",
    description: "Application name: tags/labels and the prefix of physical names. Default: the project name.",
  },
  owner: {
    kind: "string",
    default: "platform",
    cloud: "both",
    description: "Owning team (the `owner` tag/label).",
  },
  costCenter: {
    kind: "string",
    default: "meridian",
    cloud: "both",
    description: "Cost center (the `cost-center` tag/label).",
  },
  image: {
    kind: "string",
    cloud: "both",
    description:
      "Container image of the API. Optional until the service component exists; in prod it must be pinned by digest (repo@sha256:...).",
  },
  domain: {
    kind: "string",
    cloud: "both",
    description: "Public DNS name of the API (optional): certificate and HTTP->HTTPS redirect follow.",
  },
  alertEmail: { kind: "string", cloud: "both", description: "Email that receives alarms (optional)." },
  logRetentionDays: {
    kind: "integer",
    default: pp(30, 90),
    cloud: "both",
    description: `Retention of every log group, in days (CloudWatch's allowed values: ${LOG_RETENTION_DAYS.join(", ")}); prod >= 30.`,
  },
  vpcCidr: {
    kind: "string",
    default: "10.40.0.0/16",
    cloud: "aws",
    description: "VPC CIDR, /16 to /22, RFC 1918.",
  },
  azCount: {
    kind: "integer",
    default: pp(2, 3),
    cloud: "aws",
    description: "Availability zones the VPC spans (2-4).",
  },
  natStrategy: {
    kind: "string",
    allowed: ["none", "single", "perAz"],
    default: pp("single", "perAz"),
    cloud: "aws",
    description:
      "NAT gateways for private subnets: none (no internet egress), single (one, ~$32/month), perAz (one per AZ, survives an AZ outage).",
  },
  subnetCidr: {
    kind: "string",
    default: "10.60.0.0/20",
    cloud: "gcp",
    description: "Primary range of the regional subnet, /16 to /24, RFC 1918.",
  },
  privateServicesCidr: {
    kind: "string",
    default: "10.61.0.0/16",
    cloud: "gcp",
    description: "Range allocated to private services access (Cloud SQL, Memorystore), /16 to /24, RFC 1918.",
  },
  serverlessEgress: {
    kind: "string",
    allowed: ["direct", "connector"],
    default: "direct",
    cloud: "gcp",
    description:
      "How Cloud Run reaches private IPs: direct (Direct VPC egress, no fixed cost) or connector (Serverless VPC Access, always-on VMs).",
  },
  connectorCidr: {
    kind: "string",
    default: "10.62.0.0/28",
    cloud: "gcp",
    description: "The /28 of the Serverless VPC Access connector (serverlessEgress=connector).",
  },
  cpu: {
    kind: "number",
    default: (p, cloud) => (cloud === "gcp" ? 1 : p === "prod" ? 1 : 0.5),
    cloud: "both",
    description:
      "vCPU per instance. AWS Fargate: 0.25, 0.5, 1, 2, 4, 8, 16. Cloud Run: 1, 2, 4, 6, 8. Default: aws dev 0.5, prod 1; gcp 1.",
  },
  memoryMiB: {
    kind: "integer",
    default: (p, cloud) => (cloud === "gcp" ? (p === "prod" ? 1024 : 512) : p === "prod" ? 2048 : 1024),
    cloud: "both",
    description:
      "Memory per instance in MiB (must fit the CPU: see docs). Default: aws dev 1024, prod 2048; gcp dev 512, prod 1024.",
  },
  minInstances: {
    kind: "integer",
    default: pp(1, 2),
    cloud: "both",
    description: "Minimum running instances (prod >= 2).",
  },
  maxInstances: {
    kind: "integer",
    default: pp(2, 10),
    cloud: "both",
    description: "Maximum instances for autoscaling (1-100, >= minInstances).",
  },
  spot: {
    kind: "boolean",
    default: false,
    cloud: "aws",
    description:
      "Run part of the service on Fargate Spot (AWS only; prod keeps at least one on-demand task).",
  },
  postgresVersion: {
    kind: "string",
    allowed: ["16", "17"],
    default: "16",
    cloud: "both",
    description: "PostgreSQL major version.",
  },
  dbInstanceClass: {
    kind: "string",
    default: pp("db.t4g.micro", "db.m7g.large"),
    cloud: "aws",
    description: "RDS instance class.",
  },
  dbTier: {
    kind: "string",
    default: pp("db-custom-1-3840", "db-custom-2-7680"),
    cloud: "gcp",
    description: "Cloud SQL machine tier.",
  },
  dbStorageGb: {
    kind: "integer",
    default: pp(20, 100),
    cloud: "both",
    description: "Initial database storage in GB (20-65536).",
  },
  dbMaxStorageGb: {
    kind: "integer",
    default: pp(100, 1000),
    cloud: "both",
    description: "Storage autoscaling ceiling in GB (>= dbStorageGb).",
  },
  dbHighAvailability: {
    kind: "boolean",
    default: pp(false, true),
    cloud: "both",
    description: "Multi-AZ (RDS) / regional HA (Cloud SQL).",
  },
  dbProxy: {
    kind: "boolean",
    default: pp(false, true),
    cloud: "aws",
    description: "Put RDS Proxy (TLS required) in front of the database.",
  },
  dbBackupRetentionDays: {
    kind: "integer",
    default: pp(7, 14),
    cloud: "both",
    description: "Automated backup retention in days (1-35; prod >= 7).",
  },
  dbDeletionProtection: {
    kind: "boolean",
    default: pp(false, true),
    cloud: "both",
    description: "Refuse to delete the database (must be true in prod).",
  },
  cacheNodeType: {
    kind: "string",
    default: pp("cache.t4g.micro", "cache.m7g.large"),
    cloud: "aws",
    description: "ElastiCache node type.",
  },
  cacheMemoryGb: {
    kind: "number",
    default: pp(1, 5),
    cloud: "gcp",
    description: "Memorystore capacity in GB (1-300).",
  },
  cacheReplicas: {
    kind: "integer",
    default: pp(0, 1),
    cloud: "both",
    description: "Cache replicas (0-5; prod >= 1).",
  },
};

/** The namespace of Meridian's keys. */
export const NS = "meridian";

/** Fargate CPU (vCPU) -> allowed memory (MiB). */
const FARGATE: Record<string, number[]> = {
  "0.25": [512, 1024, 2048],
  "0.5": range(1024, 4096, 1024),
  "1": range(2048, 8192, 1024),
  "2": range(4096, 16384, 1024),
  "4": range(8192, 30720, 1024),
  "8": range(16384, 61440, 4096),
  "16": range(32768, 122880, 8192),
};
/** Cloud Run CPU -> minimum memory (MiB). */
const CLOUD_RUN_MIN_MEMORY: Record<string, number> = { "1": 512, "2": 512, "4": 2048, "6": 4096, "8": 4096 };

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Parses an IPv4 CIDR: the address as an unsigned 32-bit number and the prefix, or a reason. */
export function parseCidr(text: string): { address: number; prefix: number } | string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!m) return "not an IPv4 CIDR like 10.40.0.0/16";
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return "an octet is greater than 255";
  const prefix = Number(m[5]);
  if (prefix > 32) return "the prefix length is greater than 32";
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  return { address, prefix };
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function formatIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** True when two CIDRs share any address. Both must parse. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (typeof x === "string" || typeof y === "string")
    throw new Error(`cidrsOverlap: cannot parse ${a} or ${b}`);
  const p = Math.min(x.prefix, y.prefix);
  return (x.address & mask(p)) >>> 0 === (y.address & mask(p)) >>> 0;
}

const RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/** True when the image reference is pinned by a sha256 digest. */
export function isDigestPinned(image: string): boolean {
  return /@sha256:[0-9a-f]{64}$/.test(image);
}

const IMAGE_RE =
  /^(?:(?<registry>[a-zA-Z0-9.-]+(?::\d+)?)\/)?(?<repo>[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@sha256:(?<digest>[0-9a-f]{64}))?$/;

/** The default stack profile from its name. */
export function profileFromStack(stack: string): Profile {
  return stack === "prod" || stack.startsWith("prod-") || stack.startsWith("production") ? "prod" : "dev";
}

/** Validates raw Pulumi config (fully qualified keys, string values) into a MeridianConfig. */
export function parseConfig(input: {
  project: string;
  stack: string;
  values: Record<string, string>;
  secretKeys?: string[];
}): MeridianConfig {
  const { project, stack, values } = input;
  const problems: ConfigProblem[] = [];
  const fail = (key: string, message: string) =>
    problems.push({ key: `${NS}:${key}`, value: raw(key), message });
  const failRaw = (fullKey: string, message: string) =>
    problems.push({ key: fullKey, value: values[fullKey], message });
  const raw = (key: string): string | undefined => values[`${NS}:${key}`];

  // Unknown keys in our namespace: most likely typos.
  for (const fullKey of Object.keys(values)) {
    if (!fullKey.startsWith(`${NS}:`)) continue;
    const key = fullKey.slice(NS.length + 1);
    if (!(key in KNOWN_KEYS)) {
      const guess = closest(key, Object.keys(KNOWN_KEYS));
      failRaw(
        fullKey,
        `unknown key${guess ? `; did you mean ${NS}:${guess}?` : ""} (docs/config.md lists every key)`,
      );
    }
  }

  // cloud and profile first: other defaults depend on them.
  const cloudRaw = raw("cloud");
  let cloud: Cloud | undefined;
  if (cloudRaw === undefined || cloudRaw === "")
    fail("cloud", "is required; allowed: aws, gcp (pulumi config set meridian:cloud aws)");
  else if (cloudRaw === "aws" || cloudRaw === "gcp") cloud = cloudRaw;
  else fail("cloud", "not a supported cloud; allowed: aws, gcp");

  const profileRaw = raw("profile");
  let profile: Profile = profileFromStack(stack);
  if (profileRaw !== undefined) {
    if (profileRaw === "dev" || profileRaw === "prod") profile = profileRaw;
    else fail("profile", "allowed: dev, prod");
  }

  const get = <T extends string | number | boolean>(key: string): T => {
    const def = KNOWN_KEYS[key];
    const text = raw(key);
    const fallback = (): T => {
      const d = def.default;
      const v =
        typeof d === "function" ? d(profile, cloud) : d !== null && typeof d === "object" ? d[profile] : d;
      return v as T;
    };
    if (text === undefined) return fallback();
    switch (def.kind) {
      case "string":
        if (def.allowed && !def.allowed.includes(text)) {
          fail(key, `allowed: ${def.allowed.join(", ")}`);
          return fallback();
        }
        return text as T;
      case "integer":
        if (!/^-?\d+$/.test(text.trim())) {
          fail(key, "expected an integer");
          return fallback();
        }
        return Number(text) as T;
      case "number": {
        const n = Number(text);
        if (text.trim() === "" || !Number.isFinite(n)) {
          fail(key, "expected a number");
          return fallback();
        }
        return n as T;
      }
      case "boolean":
        if (text !== "true" && text !== "false") {
          fail(key, "expected true or false");
          return fallback();
        }
        return (text === "true") as T;
    }
  };
  const intIn = (key: string, min: number, max: number): number => {
    const v = get<number>(key);
    if (raw(key) !== undefined && (v < min || v > max)) fail(key, `must be between ${min} and ${max}`);
    return v;
  };

  // Names and tags.
  const appName = raw("appName") ?? project;
  if (!/^[a-z][a-z0-9-]{0,18}[a-z0-9]$/.test(appName)) {
    if (raw("appName") !== undefined)
      fail("appName", "1-20 characters: lowercase letters, digits and hyphens, starting with a letter");
    else
      problems.push({
        key: `${NS}:appName`,
        value: project,
        message: `the project name is not a valid app name; set ${NS}:appName (lowercase, 1-20 characters)`,
      });
  }
  const owner = get<string>("owner");
  const costCenter = get<string>("costCenter");
  for (const [key, v] of [
    ["owner", owner],
    ["costCenter", costCenter],
  ] as const) {
    if (!/^[\x20-\x7e]{1,63}$/.test(v)) fail(key, "1-63 ASCII characters (used in tags and labels)");
  }

  // Image, domain, email.
  const image = raw("image");
  if (image !== undefined) {
    if (!IMAGE_RE.test(image)) {
      fail(
        "image",
        "not a valid image reference; expected [registry/]repository[:tag][@sha256:<64 hex>] with a lowercase repository",
      );
    } else if (profile === "prod" && !isDigestPinned(image)) {
      fail(
        "image",
        "prod images must be pinned by digest, not a tag: push the image, get its digest (`docker buildx imagetools inspect IMAGE` or `crane digest IMAGE`) and set meridian:image to repository@sha256:<digest>",
      );
    }
  }
  const domain = raw("domain");
  if (domain !== undefined) {
    const labels = domain.split(".");
    const ok =
      /^[\x21-\x7e]+$/.test(domain) &&
      domain.length <= 253 &&
      labels.length >= 2 &&
      labels.every((l) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(l));
    if (!ok)
      fail(
        "domain",
        "a lowercase DNS name like api.example.com (ASCII: use punycode, xn--..., for international names)",
      );
  }
  const alertEmail = raw("alertEmail");
  if (alertEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(alertEmail))
    fail("alertEmail", "not an email address");

  const logRetentionDays = get<number>("logRetentionDays");
  if (
    raw("logRetentionDays") !== undefined &&
    !(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)
  ) {
    fail("logRetentionDays", `allowed: ${LOG_RETENTION_DAYS.join(", ")}`);
  } else if (profile === "prod" && logRetentionDays < 30)
    fail("logRetentionDays", "prod keeps logs at least 30 days");

  // Networks.
  const cidr = (key: string, minPrefix: number, maxPrefix: number): string => {
    const text = get<string>(key);
    const c = parseCidr(text);
    if (typeof c === "string") {
      fail(key, c);
      return text;
    }
    const aligned = (c.address & mask(c.prefix)) >>> 0;
    if (aligned !== c.address) {
      fail(key, `the address is not aligned to /${c.prefix}; did you mean ${formatIp(aligned)}/${c.prefix}?`);
    } else if (c.prefix < minPrefix || c.prefix > maxPrefix) {
      fail(
        key,
        minPrefix === maxPrefix
          ? `must be a /${minPrefix}`
          : `prefix must be between /${minPrefix} and /${maxPrefix}`,
      );
    } else if (
      !RFC1918.some((r) => cidrsOverlap(r, text) && (parseCidr(r) as { prefix: number }).prefix <= c.prefix)
    ) {
      fail(key, "must be inside a private range (RFC 1918): 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16");
    }
    return text;
  };
  const vpcCidr =
    cloud === "gcp" && raw("vpcCidr") === undefined ? get<string>("vpcCidr") : cidr("vpcCidr", 16, 22);
  const azCount = intIn("azCount", 2, 4);
  const natStrategy = get<NatStrategy>("natStrategy");
  const serverlessEgress = get<ServerlessEgress>("serverlessEgress");
  const gcpKeys = [
    "subnetCidr",
    "privateServicesCidr",
    ...(serverlessEgress === "connector" ? ["connectorCidr"] : []),
  ];
  const validGcp: string[] = [];
  for (const key of gcpKeys) {
    if (cloud === "aws" && raw(key) === undefined) continue;
    const before = problems.length;
    if (key === "connectorCidr") cidr(key, 28, 28);
    else cidr(key, 16, 24);
    if (problems.length === before) validGcp.push(key);
  }
  for (let i = 0; i < validGcp.length; i++) {
    for (let j = i + 1; j < validGcp.length; j++) {
      const [a, b] = [validGcp[i], validGcp[j]];
      if (cidrsOverlap(get<string>(a), get<string>(b))) {
        fail(a, `overlaps ${NS}:${b} = "${get<string>(b)}"; the GCP ranges must be disjoint`);
      }
    }
  }

  // Service sizing.
  const cpu = get<number>("cpu");
  const memoryMiB = get<number>("memoryMiB");
  if (cloud === "aws") {
    const allowed = FARGATE[String(cpu)];
    if (!allowed) fail("cpu", `Fargate CPU must be one of ${Object.keys(FARGATE).join(", ")} vCPU`);
    else if (!allowed.includes(memoryMiB)) {
      problems.push({
        key: `${NS}:memoryMiB`,
        value: String(memoryMiB),
        message: `Fargate with ${cpu} vCPU allows ${describeMemory(allowed)} MiB`,
      });
    }
  } else if (cloud === "gcp") {
    const min = CLOUD_RUN_MIN_MEMORY[String(cpu)];
    if (min === undefined) {
      fail(
        "cpu",
        `Cloud Run CPU must be one of ${Object.keys(CLOUD_RUN_MIN_MEMORY).join(", ")}${cpu < 1 ? " (less than 1 vCPU requires concurrency 1, which Meridian does not use)" : ""}`,
      );
    } else if (memoryMiB < min || memoryMiB > 32768) {
      problems.push({
        key: `${NS}:memoryMiB`,
        value: String(memoryMiB),
        message: `Cloud Run with ${cpu} vCPU needs ${min}-32768 MiB`,
      });
    }
  }
  const minInstances = intIn("minInstances", 0, 100);
  const maxInstances = intIn("maxInstances", 1, 100);
  if (minInstances > maxInstances) {
    problems.push({
      key: `${NS}:minInstances`,
      value: String(minInstances),
      message: `is greater than ${NS}:maxInstances = "${maxInstances}"; minInstances must be <= maxInstances`,
    });
  }
  if (profile === "prod" && minInstances < 2)
    fail("minInstances", "prod runs at least 2 instances (one per zone)");
  const spot = get<boolean>("spot");
  if (cloud === "gcp" && spot) fail("spot", "Cloud Run has no spot capacity; remove meridian:spot");

  // Database.
  const postgresVersion = get<"16" | "17">("postgresVersion");
  const instanceClass = get<string>("dbInstanceClass");
  if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(instanceClass))
    fail("dbInstanceClass", "an RDS instance class like db.t4g.micro or db.m7g.large");
  const tier = get<string>("dbTier");
  if (!/^db-(custom-\d+-\d+|f1-micro|g1-small|perf-optimized-N-\d+)$/.test(tier)) {
    fail("dbTier", "a Cloud SQL tier like db-custom-2-7680 (vCPU-memoryMiB), db-f1-micro or db-g1-small");
  }
  const storageGb = intIn("dbStorageGb", 20, 65536);
  const maxStorageGb = get<number>("dbMaxStorageGb");
  if (maxStorageGb < storageGb) {
    problems.push({
      key: `${NS}:dbMaxStorageGb`,
      value: String(maxStorageGb),
      message: `is less than ${NS}:dbStorageGb = "${storageGb}"; the autoscaling ceiling must be >= the initial storage`,
    });
  }
  const highAvailability = get<boolean>("dbHighAvailability");
  const proxy = get<boolean>("dbProxy");
  const backupRetentionDays = intIn("dbBackupRetentionDays", 1, 35);
  if (profile === "prod" && backupRetentionDays < 7)
    fail("dbBackupRetentionDays", "prod keeps backups at least 7 days");
  const deletionProtection = get<boolean>("dbDeletionProtection");
  if (profile === "prod" && !deletionProtection) fail("dbDeletionProtection", "must be true in prod");

  // Cache.
  const nodeType = get<string>("cacheNodeType");
  if (!/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(nodeType))
    fail("cacheNodeType", "an ElastiCache node type like cache.t4g.micro");
  const memoryGb = get<number>("cacheMemoryGb");
  if (raw("cacheMemoryGb") !== undefined && (memoryGb < 1 || memoryGb > 300))
    fail("cacheMemoryGb", "must be between 1 and 300");
  const replicas = intIn("cacheReplicas", 0, 5);
  if (profile === "prod" && replicas < 1) fail("cacheReplicas", "prod runs at least 1 replica");

  // Provider keys of the selected cloud.
  const awsRegion = values["aws:region"];
  if (awsRegion !== undefined || cloud === "aws") {
    if (!awsRegion)
      failRaw(
        "aws:region",
        "is required when meridian:cloud is aws (pulumi config set aws:region us-east-1)",
      );
    else if (!/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(awsRegion))
      failRaw("aws:region", "not an AWS region like us-east-1");
  }
  const gcpProject = values["gcp:project"];
  if (gcpProject !== undefined || cloud === "gcp") {
    if (!gcpProject)
      failRaw(
        "gcp:project",
        "is required when meridian:cloud is gcp (pulumi config set gcp:project my-project-id)",
      );
    else if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(gcpProject))
      failRaw("gcp:project", "not a GCP project id (6-30 characters: lowercase letters, digits, hyphens)");
  }
  const gcpRegion = values["gcp:region"];
  if (gcpRegion !== undefined || cloud === "gcp") {
    if (!gcpRegion)
      failRaw(
        "gcp:region",
        "is required when meridian:cloud is gcp (pulumi config set gcp:region us-central1)",
      );
    else if (!/^[a-z]+-[a-z]+\d+$/.test(gcpRegion))
      failRaw("gcp:region", "not a GCP region like us-central1");
  }

  if (problems.length > 0 || cloud === undefined) throw new ConfigError(problems, stack, input.secretKeys);

  return {
    project,
    stack,
    cloud,
    profile,
    appName,
    baseName: `${appName}-${stack}`,
    tags: { app: appName, environment: stack, owner, costCenter },
    image,
    domain,
    alertEmail,
    logRetentionDays,
    aws: { region: awsRegion ?? "", vpcCidr, azCount, natStrategy },
    gcp: {
      project: gcpProject ?? "",
      region: gcpRegion ?? "",
      subnetCidr: get<string>("subnetCidr"),
      privateServicesCidr: get<string>("privateServicesCidr"),
      serverlessEgress,
      connectorCidr: get<string>("connectorCidr"),
    },
    service: { cpu, memoryMiB, minInstances, maxInstances, spot },
    database: {
      postgresVersion,
      instanceClass,
      tier,
      storageGb,
      maxStorageGb,
      highAvailability,
      proxy,
      backupRetentionDays,
      deletionProtection,
    },
    cache: { nodeType, memoryGb, replicas },
  };
}

/** Reads the running program's config and validates it. */
export function loadConfig(): MeridianConfig {
  const values = pulumi.runtime.allConfig();
  const secretKeys = Object.keys(values).filter((k) => pulumi.runtime.isConfigSecret(k));
  return parseConfig({ project: pulumi.getProject(), stack: pulumi.getStack(), values, secretKeys });
}

/** One line per problem, a header and a hint. Secret values are shown as [secret]. */
export function formatProblems(problems: ConfigProblem[], stack = "", secretKeys: string[] = []): string {
  const lines = problems.map((p) => {
    const value =
      p.value === undefined ? "(not set)" : secretKeys.includes(p.key) ? "[secret]" : JSON.stringify(p.value);
    return `  ${p.key} = ${value}: ${p.message}`;
  });
  return [
    `Invalid configuration for stack "${stack}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):`,
    ...lines,
    `Fix with \`pulumi config set <key> <value>\` or edit Pulumi.${stack || "<stack>"}.yaml; docs/config.md lists every key.`,
  ].join("\n");
}

function describeMemory(allowed: number[]): string {
  if (allowed.length <= 3) return allowed.join(", ");
  const step = allowed[1] - allowed[0];
  return `${allowed[0]}-${allowed[allowed.length - 1]} in steps of ${step}`;
}

/** The known key closest to a typo (Levenshtein distance <= 3), if any. */
function closest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i][j] = Math.min(
        dp[i - 1][j] + 1,
        dp[i][j - 1] + 1,
        dp[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
  }
  return dp[a.length][b.length];
}

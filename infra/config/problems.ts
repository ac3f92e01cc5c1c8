/** Configuration problems: collected all at once, redacted for secrets, printed one per line. */
import * as pulumi from "@pulumi/pulumi";
import type { ConfigScalar, Finding } from "./types";

/** One problem with one key, or with a rule across keys (reported on one key, naming the others). */
export interface ConfigProblem {
  /** Fully qualified key, e.g. `meridian:cloud` or `aws:region`. */
  key: string;
  /** The raw value; undefined when the key is not set; `"[secret]"` when the key holds a secret. */
  value: string | undefined;
  /** What is wrong and what is allowed. */
  message: string;
  /** True when the key holds a secret: its value is redacted and printed as `[secret]`. */
  secret?: boolean;
}

/**
 * Invalid configuration: every problem, formatted one per line. A `pulumi.RunError`, so the Pulumi CLI
 * (and the offline engine) print the message without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
  /** Every problem found, in the order they are printed. */
  readonly problems: ConfigProblem[];
  /** The stack whose configuration was rejected. */
  readonly stackName: string;

  /** Builds the error and its message from the problems (see {@link formatProblems}). */
  constructor(problems: ConfigProblem[], stackName = "") {
    super(formatProblems(problems, stackName));
    this.name = "ConfigError";
    this.problems = problems;
    this.stackName = stackName;
  }
}

/** Collects problems; redacts the values (and suggestions) of secret keys. */
export class Problems {
  readonly list: ConfigProblem[] = [];

  constructor(
    private readonly values: Readonly<Record<string, string>>,
    private readonly secrets: ReadonlySet<string>,
  ) {}

  /** True when the key holds a secret. */
  isSecret(key: string): boolean {
    return this.secrets.has(key);
  }

  /** The value of a key as shown in a message: JSON-quoted, or [secret]. */
  show(key: string, value: ConfigScalar | undefined = this.values[key]): string {
    if (this.isSecret(key)) return "[secret]";
    return value === undefined ? "(not set)" : JSON.stringify(String(value));
  }

  /** Records a problem with a key; `value` defaults to the key's raw value. */
  add(key: string, finding: Finding, value: string | undefined = this.values[key]): void {
    const secret = this.isSecret(key);
    const message =
      typeof finding === "string"
        ? finding
        : secret
          ? finding.message
          : `${finding.message}; did you mean ${finding.suggestion}?`;
    this.list.push(secret ? { key, value: "[secret]", message, secret: true } : { key, value, message });
  }
}

/**
 * The message of a ConfigError: a header, one line per problem (key, JSON-quoted value or [secret],
 * what is wrong and what is allowed) and a hint on how to fix it.
 */
export function formatProblems(problems: readonly ConfigProblem[], stack?: string): string {
  const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
  const header = stack
    ? `Invalid configuration for stack "${stack}" (${count}):`
    : `Invalid configuration (${count}):`;
  const lines = problems.map((p) => {
    const value = p.secret ? "[secret]" : p.value === undefined ? "(not set)" : JSON.stringify(p.value);
    return `  ${p.key} = ${value}: ${p.message}`;
  });
  const file = stack ? `Pulumi.${stack}.yaml` : "Pulumi.<stack>.yaml";
  const hint = `Fix with \`pulumi config set <key> <value>\` (or \`pulumi config rm <key>\` to use the default), or edit ${file}; docs/config.md describes every key.`;
  return [header, ...lines, hint].join("\n");
}

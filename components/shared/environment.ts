/**
 * Plain environment variables of a container, validated the same way on every cloud: valid names, none the
 * platform or component sets itself, string values (or Outputs), and nothing that is or looks secret — a
 * secret-looking name, or a value that is a URL with credentials (`scheme://user:password@host`). Plain values
 * are readable by anyone who can view the service definition; secrets go through the cloud's secret store.
 * Used by components/aws/containerInputs.ts (ECS) and components/gcp/containers.ts (Cloud Run).
 */
import * as pulumi from "@pulumi/pulumi";
import { show } from "./validate";

/** Plain environment variables: name -> value (an Output for values known only after deployment). */
export type Environment = Record<string, pulumi.Input<string>>;

/** A valid environment variable name (letters, digits, _; not starting with a digit). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_LIKE = /PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL|(^|_)(AUTH|PEM|PRIVATE)(_|$)/i;
/** A URL carrying a password in its user info (`scheme://user:password@host`). */
const URL_WITH_CREDENTIALS = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/;

export interface EnvironmentRules {
  /** Names the platform or the component sets itself. */
  reserved: readonly string[];
  /** Why a reserved name is refused, e.g. "is set by the component". */
  reservedWhy: string;
  /** The cloud's secret store, e.g. "Secrets Manager". */
  store: string;
  /** Where a plain value is visible, e.g. "the task definition". */
  visibleIn: string;
  /** How to pass a secret instead, given the variable name, e.g. `secrets: { X: <secret ARN> }`. */
  secretHint: (name: string) => string;
}

/**
 * Validates `env` under `rules`; returns a copy. Values known now are checked for credentials; Outputs are
 * checked by nothing here (known only at deployment).
 * @throws Error naming the variable and what is allowed.
 */
export function validateEnvironment(env: unknown, rules: EnvironmentRules): Environment {
  const e = env ?? {};
  if (e === null || typeof e !== "object" || Array.isArray(e)) {
    throw new Error(`environment is ${show(e)}; allowed: a map of variable name to string value`);
  }
  for (const [k, v] of Object.entries(e)) {
    if (!ENV_NAME.test(k)) {
      throw new Error(
        `environment has the name ${show(k)}; allowed: letters, digits and _ (not starting with a digit)`,
      );
    }
    if (rules.reserved.includes(k))
      throw new Error(`environment.${k} ${rules.reservedWhy}; allowed: any other name`);
    if (SECRET_LIKE.test(k)) {
      throw new Error(
        `environment.${k} looks like a secret (the name contains PASSWORD, PASSWD, SECRET, TOKEN, KEY, CREDENTIAL, ` +
          `AUTH, PEM or PRIVATE); plain values are visible in ${rules.visibleIn}: store it in ${rules.store} ` +
          `and pass ${rules.secretHint(k)}`,
      );
    }
    // An Output is allowed for values known only at deployment (e.g. a bucket name created in the same stack).
    if (pulumi.Output.isInstance(v)) continue;
    if (typeof v !== "string") {
      throw new Error(`environment.${k} is ${show(v)}; allowed: a string (or a pulumi Output of one)`);
    }
    if (URL_WITH_CREDENTIALS.test(v)) {
      throw new Error(
        `environment.${k} is a URL with credentials (user:password@); allowed: a value without credentials. ` +
          `Store the URL in ${rules.store} and pass ${rules.secretHint(k)}`,
      );
    }
  }
  return { ...(e as Environment) };
}

/**
 * Shared fixtures of the config tests (infra/config/*.test.ts, infra/config/keys/*.test.ts): minimal valid
 * values per cloud, `parseConfig` with Meridian's project name, and helpers that return the one problem a
 * rejected config must have. Pure: no Pulumi engine, no mocks.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { Cloud, ConfigError, ConfigProblem, MeridianConfig, parseConfig } from "./index";

/** The repository root (Pulumi.yaml and the stack files). */
export const ROOT = path.resolve(__dirname, "..", "..");
/** A valid sha256 digest (64 hex characters). */
export const DIGEST = "0123456789abcdef".repeat(4);
/** The least an AWS stack must set. */
export const AWS = { "meridian:cloud": "aws", "aws:region": "us-east-1" };
/** The least a GCP stack must set. */
export const GCP = {
  "meridian:cloud": "gcp",
  "gcp:project": "meridian-dev-4821",
  "gcp:region": "us-central1",
};

export function parse(
  values: Record<string, string>,
  stack = "dev",
  secretKeys: string[] = [],
): MeridianConfig {
  return parseConfig({ project: "meridian", stack, values, secretKeys });
}

/** The ConfigError of a config that must be rejected. */
export function reject(
  values: Record<string, string>,
  stack = "dev",
  secretKeys: string[] = [],
): ConfigError {
  try {
    parse(values, stack, secretKeys);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err;
  }
  return assert.fail(`expected the config to be rejected: ${JSON.stringify(values)}`);
}

/** The one problem of `key` (fails when there is none or more than one). */
export function problem(err: ConfigError, key: string): ConfigProblem {
  const found = err.problems.filter((p) => p.key === key);
  assert.equal(found.length, 1, `expected one problem for ${key}; got:\n${err.message}`);
  return found[0];
}

/** The message of the only problem a config has, which must be about `key`. */
export function onlyProblem(values: Record<string, string>, key: string, stack = "dev"): string {
  const err = reject(values, stack);
  assert.equal(err.problems.length, 1, err.message);
  return problem(err, key).message;
}

/** Pulumi.yaml's declarations. */
export function projectFile(): {
  name: string;
  main: string;
  config: Record<string, Record<string, unknown>>;
} {
  return yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as never;
}

/** What the Pulumi CLI passes the program for a stack: project defaults, then the stack file (as strings). */
export function stackValues(stack: string, cloud?: Cloud): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, decl] of Object.entries(projectFile().config)) {
    if (decl.default !== undefined) values[`meridian:${key}`] = String(decl.default);
  }
  const doc = yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, unknown>;
  };
  for (const [key, value] of Object.entries(doc.config)) values[key] = String(value);
  if (cloud) values["meridian:cloud"] = cloud;
  return values;
}

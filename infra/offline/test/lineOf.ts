/** Source positions in test fixtures. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";

/** 1-based line of the first occurrence of `needle` in a fixture file. */
export function lineOf(file: string, needle: string): number {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const i = lines.findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} not in ${file}`);
  return i + 1;
}

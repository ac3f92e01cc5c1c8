/**
 * The violating/clean case of a rule, and the test every case gets: the rule flags the violating resource
 * (with a real finding, not "cannot check during preview", and with `says` in the message) and passes the
 * clean one. Resources go through @pulumi/policy's analyzer handlers (../harness.ts).
 */
import { strict as assert } from "node:assert";
import { analyze, analyzeStack, Diag, StackInput } from "../harness";

/** One resource (`type`, `props`) or a whole stack of them (for stack rules). */
export type Input = { type: string; props: Record<string, unknown> } | { stack: StackInput[] };

export interface Case {
  rule: string;
  bad: Input;
  good: Input;
  /** Substring the violating message must contain. */
  says?: string;
}

/** The diagnostics of every rule on `input`. */
export function run(input: Input): Promise<Diag[]> {
  return "stack" in input ? analyzeStack(input.stack) : analyze(input.type, input.props);
}

/** Declares one test per case (call inside a `describe`). */
export function itFlagsAndPasses(cases: Case[]): void {
  for (const c of cases) {
    it(`${c.rule}: flags the violating resource, passes the clean one`, async () => {
      const bad = (await run(c.bad)).filter((d) => d.policy === c.rule);
      assert.ok(bad.length > 0, `${c.rule} did not flag ${JSON.stringify(c.bad).slice(0, 300)}`);
      assert.ok(
        bad.every((d) => !d.message.includes("cannot check")),
        JSON.stringify(bad),
      );
      if (c.says)
        assert.ok(
          bad.some((d) => d.message.includes(c.says!)),
          JSON.stringify(bad),
        );
      const good = (await run(c.good)).filter((d) => d.policy === c.rule);
      assert.deepEqual(good, [], `${c.rule} flagged the clean resource`);
    });
  }
}

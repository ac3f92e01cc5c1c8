/**
 * Test harness for Pulumi component suites (`*.mock.test.ts`, one mocha process each).
 *
 * It runs components against the same offline runtime and resource model the offline engine uses, so a
 * component test sees the ids, ARNs and self links reviewers see in a preview, and can assert on exactly
 * what the SDK sent: inputs, parent, dependencies and options.
 *
 * @example
 * let session: OfflineSession;
 * before(async () => { session = await startMocks({ config: { "aws:region": "us-east-1" } }); });
 * it("...", async () => {
 *   const net = new Network("n", args);
 *   await session.settle();
 *   const subnets = ofType(session, "aws:ec2/subnet:Subnet");
 * });
 */
import * as pulumi from "@pulumi/pulumi";
import { CapturedResource, OfflineSession, plainInputs, startOfflineRuntime } from "./runtime";

export type { CapturedResource, OfflineSession } from "./runtime";

/** Starts the offline runtime for a test process. Update semantics by default, so outputs are known. */
export function startMocks(
  opts: { project?: string; stack?: string; config?: Record<string, string>; preview?: boolean } = {},
): Promise<OfflineSession> {
  return startOfflineRuntime({
    pulumi,
    project: opts.project ?? "meridian",
    stack: opts.stack ?? "test",
    config: opts.config ?? {},
    preview: opts.preview ?? false,
    programDir: process.cwd(),
  });
}

/**
 * Resolves an Output's value. Rejects (instead of hanging the test) when the value is unknown, as outputs
 * computed by the cloud are during a preview.
 */
export function promiseOf<T>(output: pulumi.Output<T>, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`output did not resolve within ${timeoutMs} ms (unknown during preview?)`)),
      timeoutMs,
    );
    output.apply((v) => {
      clearTimeout(timer);
      resolve(v);
      return v;
    });
  });
}

/** Captured resources of one type token, e.g. `aws:ec2/subnet:Subnet`. */
export function ofType(session: OfflineSession, type: string): CapturedResource[] {
  return session.resources.filter((r) => r.type === type);
}

/** Plain inputs (secrets unwrapped, unknowns dropped) of a captured resource, for assertions. */
export function inputsOf(r: CapturedResource): Record<string, any> {
  return plainInputs(r.inputs);
}

/** Captured resources whose URN is below the given component URN (direct or nested children). */
export function childrenOf(session: OfflineSession, parentUrn: string): CapturedResource[] {
  const below = new Set<string>([parentUrn]);
  const out: CapturedResource[] = [];
  for (const r of session.resources) {
    if (r.parent && below.has(r.parent)) {
      below.add(r.urn);
      out.push(r);
    }
  }
  return out;
}

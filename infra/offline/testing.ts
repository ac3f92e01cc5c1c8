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
import { CapturedResource, OfflineSession, plainInputs, SIG, startOfflineRuntime } from "./runtime";

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

/** A component after registration: its children, and lookups that fail with the names that do exist. */
export interface CapturedComponent<T> {
  component: T;
  urn: string;
  children: CapturedResource[];
  /** Children of one type token. */
  all(type: string): CapturedResource[];
  /** The only child of a type (fails when there are none or several). */
  one(type: string): CapturedResource;
  /** The child with this logical name. */
  byName(logical: string): CapturedResource;
}

/** Waits until every registration of `component` has settled and indexes its children. */
export async function captureComponent<T extends pulumi.ComponentResource>(
  session: OfflineSession,
  component: T,
): Promise<CapturedComponent<T>> {
  await session.settle();
  const urn = await promiseOf(component.urn);
  const children = childrenOf(session, urn);
  const all = (type: string) => children.filter((r) => r.type === type);
  const fail = (message: string): never => {
    throw new Error(message);
  };
  return {
    component,
    urn,
    children,
    all,
    one(type) {
      const found = all(type);
      return found.length === 1
        ? found[0]
        : fail(`expected exactly one ${type} under ${urn}, found ${found.length}`);
    },
    byName(logical) {
      return (
        children.find((c) => c.name === logical) ??
        fail(`no child named ${logical}; have ${children.map((c) => c.name).join(", ")}`)
      );
    },
  };
}

/** The standard tag set (components/shared/tags.ts) with test values, for component args. */
export const TEST_TAGS: Record<string, string> = {
  app: "meridian",
  environment: "test",
  owner: "platform",
  "cost-center": "cc-1234",
  "managed-by": "pulumi",
};

/** Whether a captured (wire-format) input value is marked secret, as the engine receives it. */
export function isSecretInput(v: unknown): boolean {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG.key] === SIG.secret;
}

/** Network placement for a data-store component (database, cache) in tests: a VPC, two subnets, one client. */
export const DATA_STORE_BASE = {
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
  allowedSecurityGroupIds: ["sg-0a11ce0000000001"],
  tags: TEST_TAGS,
};

/** A component suite's runtime and module, set up once per test process by {@link componentSuite}. */
export interface ComponentSuite<M> {
  /** The offline runtime (available inside tests and hooks). */
  readonly session: OfflineSession;
  /** The component module, loaded after the runtime started, as a program loads it. */
  readonly mod: M;
  /** Registers `component` and captures its children. */
  capture<T extends pulumi.ComponentResource>(component: T): Promise<CapturedComponent<T>>;
}

/**
 * The scaffolding every component suite shares: a root mocha `before` hook that starts the offline runtime
 * (config defaults to `aws:region` us-east-1) and then imports the component module.
 *
 * @example
 * const suite = componentSuite({ load: () => import("./cache") });
 * const b = await suite.capture(new suite.mod.Cache("c", args));
 */
export function componentSuite<M>(opts: {
  load: () => Promise<M>;
  config?: Record<string, string>;
}): ComponentSuite<M> {
  let session: OfflineSession | undefined;
  let mod: M | undefined;
  before(async () => {
    session = await startMocks({ config: opts.config ?? { "aws:region": "us-east-1" } });
    mod = await opts.load();
  });
  const ready = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`componentSuite: ${what} is used before the root before() hook ran`);
    return v;
  };
  return {
    get session() {
      return ready(session, "session");
    },
    get mod() {
      return ready(mod, "mod");
    },
    capture: (component) => captureComponent(ready(session, "session"), component),
  };
}

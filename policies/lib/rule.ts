/**
 * How a Meridian rule is written, and how it becomes a @pulumi/policy `Policy`.
 *
 * A rule reads raw resources (`aws:*`, `gcp:*`, `kubernetes:*` type tokens and their properties), never
 * Meridian's components, so it judges any Pulumi program. Every rule carries the metadata reviewers and
 * docs/policies.md need: id, description, severity, default enforcement, remediation (the Meridian
 * component option or raw property that fixes it) and references (Checkov / CIS ids).
 *
 * The metadata travels over the analyzer protocol (GetAnalyzerInfo): `remediationSteps`, `severity` and
 * `tags`. Tags carry the cloud (`cloud:aws`), the area (`area:tls`), the references (`ref:CKV_AWS_2`)
 * and the resource types the rule inspects (`type:aws:lb/listener:Listener`), so the offline engine can
 * say how many resources each rule checked and the docs generator can list them.
 *
 * Behaviour common to every rule, implemented here once:
 * - a property that is unknown during preview is reported as "cannot check during preview" (advisory),
 *   never as a pass;
 * - a finding on a resource covered by a valid waiver is reported as `[waived] ...` (advisory), so it is
 *   still visible and listed separately; see ./waivers.ts.
 */
import type {
  EnforcementLevel,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { UnknownValueError } from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { peek } from "./util";
import { globToRegExp, waiverFor } from "./waivers";

export type Cloud = "aws" | "gcp" | "kubernetes" | "common";
export type Area =
  | "tls"
  | "least-privilege"
  | "encryption"
  | "resilience"
  | "tagging"
  | "logging"
  | "deploy-safety"
  | "supply-chain"
  | "edge";

/** Areas that must stay mandatory in prod (the "core"). */
export const CORE_AREAS: readonly Area[] = ["tls", "least-privilege"];

/** What every rule declares about itself. */
export interface RuleMeta {
  /** Stable kebab-case id; also the policy name over the analyzer protocol. Never rename. */
  id: string;
  /** One sentence: what must be true. */
  description: string;
  severity: Severity;
  /** Enforcement when the stack's policy config says nothing. */
  enforcement: Extract<EnforcementLevel, "mandatory" | "advisory">;
  cloud: Cloud;
  area: Area;
  /** How to fix it: the Meridian component option first, then the raw property. */
  remediation: string;
  /** Checkov / CIS / vendor ids, e.g. `CKV_AWS_2`, `CIS AWS 5.2`. */
  references: string[];
  /**
   * Resource type tokens the rule inspects. An entry with `*` is a glob over type tokens (e.g.
   * `gcp:*:*IamMember` for every GCP IAM member resource), so a family of types is judged however many
   * members the provider has; list the common ones exactly too (the offline engine counts exact types).
   */
  types: string[];
  /** Extra config properties (JSON schema) with defaults; read with `ctx.config`. */
  config?: Record<string, PolicyConfigJSONSchema>;
}

/** A resource as a rule sees it (properties go through @pulumi/policy's unknown-checking proxy). */
export interface Res {
  type: string;
  urn: string;
  name: string;
  // Raw provider properties: their shape is the provider schema's, so they are typed loosely on purpose.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  props: Record<string, any>;
}

/** A resource in a stack check, with its graph edges. */
export type StackRes = PolicyResource;

export type Report = (message: string) => void;

export interface Ctx<C = Record<string, unknown>> {
  /** This rule's config properties (schema defaults applied by the engine, then the stack's file). */
  config: C;
  /**
   * Reports that the check cannot be decided from what the preview shows (e.g. a resource it needs is
   * not in the stack, or is identified only by an unknown output): "cannot check during preview",
   * advisory, never a pass. The message says what is missing, as a sentence.
   */
  cannotCheck: Report;
}

/**
 * The resource of `types` that `r`'s property `prop` refers to: through the dependency graph first (the
 * property was built from that resource's output), else the first of `all` whose identity `matches` the
 * property's value (a literal id, name or ARN; how a resource is named differs per type and cloud).
 */
export function referencedBy(
  r: StackRes,
  prop: string,
  types: string[],
  all: StackRes[],
  matches: (candidate: StackRes, value: string) => boolean,
): StackRes | undefined {
  const dep = (r.propertyDependencies[prop] ?? []).find((d) => types.includes(d.type));
  if (dep) return dep;
  const value = peek(r.props, prop);
  if (typeof value !== "string") return undefined;
  return all.find((x) => types.includes(x.type) && matches(x, value));
}

export interface StackCtx<C = Record<string, unknown>> extends Ctx<C> {
  resources: StackRes[];
  /** Resources of the given types. */
  ofType(...types: string[]): StackRes[];
  /** Resources of `types` whose property `prop` depends on `target` (e.g. BucketPolicy.bucket -> bucket). */
  referencing(target: StackRes, types: string[], prop: string): StackRes[];
}

export interface ResourceRule<C = Record<string, unknown>> extends RuleMeta {
  kind: "resource";
  check(r: Res, report: Report, ctx: Ctx<C>): void;
}

export interface StackRule<C = Record<string, unknown>> extends RuleMeta {
  kind: "stack";
  /** Called once per resource of `types`, with the whole stack for cross-resource checks. */
  check(r: StackRes, report: Report, ctx: StackCtx<C>): void;
}

export type Rule = ResourceRule<never> | StackRule<never>;

/** Declares a rule that looks at one resource at a time (the analyzer's Analyze call). */
export function resourceRule<C = Record<string, unknown>>(r: Omit<ResourceRule<C>, "kind">): ResourceRule<C> {
  return { ...r, kind: "resource" };
}

/** Declares a rule that needs other resources (the analyzer's AnalyzeStack call). */
export function stackRule<C = Record<string, unknown>>(r: Omit<StackRule<C>, "kind">): StackRule<C> {
  return { ...r, kind: "stack" };
}

/** The message prefix of a finding covered by a waiver. */
export const WAIVED_PREFIX = "[waived]";
/** The message prefix of a check that needs values known only after deployment. */
export const UNKNOWN_PREFIX = "cannot check during preview";

function tagsOf(meta: RuleMeta): string[] {
  return [
    `cloud:${meta.cloud}`,
    `area:${meta.area}`,
    ...meta.references.map((r) => `ref:${r}`),
    ...meta.types.map((t) => `type:${t}`),
  ];
}

function configOf(meta: RuleMeta) {
  return meta.config ? { configSchema: { properties: meta.config } } : {};
}

/**
 * The one place the pack reports a finding at a level other than its policy's: a waived finding and a
 * "cannot check during preview" note are advisory even under a mandatory policy.
 *
 * This uses the object form of `reportViolation`, which @pulumi/policy's server implements
 * (`makeReportViolationFun` in sdk/nodejs/policy/server.ts, since v1.21.0: it takes `message`, `urn` and
 * `enforcementLevel` from the object) but whose type is still marked internal ("Future support for passing
 * args object" in policy.ts). When the public API adds it, only this function changes. In the real CLI and
 * in Pulumi Cloud such a finding is an advisory policy violation of the same policy: `pulumi preview` lists
 * it under "Policies" as advisory and does not fail, and Pulumi Cloud records it as an advisory issue.
 */
function reportAtLevel(
  reportViolation: ReportViolation,
  finding: { message: string; enforcementLevel: EnforcementLevel; urn?: string },
): void {
  type ReportObject = (args: { message: string; enforcementLevel: EnforcementLevel; urn?: string }) => void;
  (reportViolation as unknown as ReportObject)(finding);
}

/** Reports a finding, applying waivers; returns the reporter a rule's check calls. */
function reporterFor(
  meta: RuleMeta,
  target: { urn: string; name: string },
  reportViolation: ReportViolation,
  urnForStack?: string,
): Report {
  return (message: string) => {
    const w = waiverFor(meta.id, target.urn, target.name);
    if (w) {
      reportAtLevel(reportViolation, {
        message: `${WAIVED_PREFIX} ${message} (waiver: "${w.reason}", expires ${w.expires}, matches ${w.resource})`,
        enforcementLevel: "advisory",
        urn: urnForStack,
      });
    } else {
      reportViolation(message, urnForStack);
    }
  };
}

function cannotCheckReport(
  detail: string,
  reportViolation: ReportViolation,
  urn: string | undefined,
  description: string,
) {
  reportAtLevel(reportViolation, {
    message: `${UNKNOWN_PREFIX}: ${detail} ${description}`,
    enforcementLevel: "advisory",
    urn,
  });
}

function unknownReport(
  err: UnknownValueError,
  reportViolation: ReportViolation,
  urn: string | undefined,
  description: string,
) {
  cannotCheckReport(
    `${err.message}; the value is known only after deployment.`,
    reportViolation,
    urn,
    description,
  );
}

/** Whether a type token is one of `types` (exact tokens, or `*` globs). */
export function typeMatcher(types: readonly string[]): (type: string) => boolean {
  const exact = new Set(types.filter((t) => !t.includes("*")));
  const globs = types.filter((t) => t.includes("*")).map(globToRegExp);
  return (type) => exact.has(type) || globs.some((g) => g.test(type));
}

/** Converts a rule into the Policy @pulumi/policy serves. */
export function toPolicy(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
  const base = {
    name: rule.id,
    description: rule.description,
    enforcementLevel: rule.enforcement,
    severity: rule.severity,
    remediationSteps: rule.remediation,
    tags: tagsOf(rule),
    ...configOf(rule),
  };
  const matches = typeMatcher(rule.types);
  const listed = rule.types.join(", ");
  if (rule.kind === "resource") {
    const r = rule as ResourceRule;
    const validateResource = (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (!matches(args.type)) args.notApplicable(`applies to ${listed}`);
      const res: Res = { type: args.type, urn: args.urn, name: args.name, props: args.props };
      try {
        r.check(res, reporterFor(rule, res, reportViolation), {
          config: args.getConfig(),
          cannotCheck: (m) => cannotCheckReport(m, reportViolation, undefined, rule.description),
        });
      } catch (e) {
        if (e instanceof UnknownValueError) unknownReport(e, reportViolation, undefined, rule.description);
        else throw e;
      }
    };
    return { ...base, validateResource: withPulumiType(validateResource, rule.types) };
  }
  const s = rule as StackRule;
  return {
    ...base,
    validateStack: withPulumiType((args: StackValidationArgs, reportViolation: ReportViolation) => {
      const targets = args.resources.filter((x) => matches(x.type));
      if (targets.length === 0) args.notApplicable(`no ${listed} in the stack`);
      let current: string | undefined;
      const ctx: StackCtx = {
        config: args.getConfig(),
        cannotCheck: (m) => cannotCheckReport(m, reportViolation, current, rule.description),
        resources: args.resources,
        ofType: (...ts) => args.resources.filter((x) => ts.includes(x.type)),
        referencing: (target, ts, prop) =>
          args.resources.filter(
            (x) =>
              ts.includes(x.type) && (x.propertyDependencies[prop] ?? []).some((d) => d.urn === target.urn),
          ),
      };
      for (const t of targets) {
        current = t.urn;
        try {
          s.check(t, reporterFor(rule, t, reportViolation, t.urn), ctx);
        } catch (e) {
          if (e instanceof UnknownValueError) unknownReport(e, reportViolation, t.urn, rule.description);
          else throw e;
        }
      }
    }, rule.types),
  };
}

/**
 * A rule about exactly one resource type carries it as `__pulumiType`, the mark @pulumi/policy's own
 * `validateResourceOfType`/`validateStackResourcesOfType` put on their validators: the pack's server then
 * answers "not applicable" for any other type (a stack without that type) without deserializing properties
 * for this policy (its fast path in `analyze`/`analyzeStack`). The validator still checks the type itself,
 * so the verdicts never depend on the mark.
 */
function withPulumiType<F extends object>(fn: F, types: readonly string[]): F {
  if (types.length === 1 && !types[0].includes("*"))
    Object.defineProperty(fn, "__pulumiType", { value: types[0] });
  return fn;
}

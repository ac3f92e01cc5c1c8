/** Rules for every cloud: container images, and the waiver list itself. */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { resourceRule, Res } from "../../lib/rule";
import { asArray, parseJson } from "../../lib/util";
import { setWaivers, waiverProblem, waivers } from "../../lib/waivers";
import { podSpec, WORKLOAD_TYPES } from "../k8s";

type Obj = Record<string, unknown>;

/** Every container image a resource runs, with where it is set. */
function images(r: Res): [string, unknown][] {
  const p = r.props;
  switch (r.type) {
    case "aws:ecs/taskDefinition:TaskDefinition":
      return asArray(parseJson(p.containerDefinitions) as Obj[]).map((c) => [`container ${c.name}`, c.image]);
    case "gcp:cloudrunv2/service:Service":
      return asArray((p.template as Obj | undefined)?.containers as Obj[]).map((c, i) => [
        `containers[${i}]`,
        c.image,
      ]);
    case "gcp:cloudrunv2/job:Job":
      return asArray(((p.template as Obj | undefined)?.template as Obj | undefined)?.containers as Obj[]).map(
        (c, i) => [`containers[${i}]`, c.image],
      );
    case "gcp:cloudrun/service:Service":
      return asArray(((p.template as Obj | undefined)?.spec as Obj | undefined)?.containers as Obj[]).map(
        (c, i) => [`containers[${i}]`, c.image],
      );
    default: {
      const spec = podSpec(r);
      if (!spec) return [];
      return [...asArray(spec.initContainers as Obj[]), ...asArray(spec.containers as Obj[])].map((c) => [
        `container ${c.name}`,
        c.image,
      ]);
    }
  }
}

export const imageDigest = resourceRule<{ requireDigest: boolean }>({
  id: "image-pinned-by-digest",
  description:
    "Container images are pinned by digest (`@sha256:`) when `requireDigest` is on (prod), and never use `:latest` or no tag.",
  severity: "high",
  enforcement: "advisory",
  cloud: "common",
  area: "supply-chain",
  remediation:
    "Meridian: set `meridian:image` to `<registry>/<repo>@sha256:<digest>` (prod refuses anything else). Raw: reference the image by digest in the container definition / template.",
  references: ["CKV_K8S_43", "CKV_K8S_14"],
  types: [
    "aws:ecs/taskDefinition:TaskDefinition",
    "gcp:cloudrunv2/service:Service",
    "gcp:cloudrunv2/job:Job",
    "gcp:cloudrun/service:Service",
    ...WORKLOAD_TYPES,
  ],
  config: {
    requireDigest: {
      type: "boolean",
      default: false,
      description:
        "Require `@sha256:` digests (prod); otherwise only `:latest` and untagged images are findings.",
    },
  },
  check(r, report, ctx) {
    for (const [where, image] of images(r)) {
      if (typeof image !== "string") continue;
      if (/@sha256:[0-9a-f]{64}$/.test(image)) continue;
      const lastPart = image.split("/").pop() ?? image;
      if (!lastPart.includes(":")) report(`${where}: image ${image} has no tag (means :latest).`);
      else if (lastPart.endsWith(":latest")) report(`${where}: image ${image} uses the mutable tag :latest.`);
      else if (ctx.config.requireDigest) report(`${where}: image ${image} is not pinned by digest.`);
    }
  },
});

const WAIVER_SCHEMA = {
  type: "array" as const,
  default: [],
  description: "Accepted findings: { rule, resource (URN or name pattern), reason, expires (YYYY-MM-DD) }.",
  items: {
    type: "object" as const,
    properties: {
      rule: { type: "string" as const },
      resource: { type: "string" as const },
      reason: { type: "string" as const },
      expires: { type: "string" as const },
    },
  },
};

const WAIVERS_META = {
  severity: "high" as const,
  remediationSteps:
    "Edit the `meridian-waivers.waivers` list in policies/config/<stack>.json: every waiver needs the rule id, the resource (URN or name pattern), a reason and an expiry date in the future; remove waivers that expired or fix the finding.",
};

/**
 * `meridian-waivers` carries the waiver list and publishes it to the rules (it must be the pack's first
 * policy); it reports nothing itself. `meridian-waiver-valid` reports waivers that are not valid.
 */
export function waiverPolicies(
  knownRules: () => ReadonlySet<string>,
): [ResourceValidationPolicy, StackValidationPolicy] {
  return [
    {
      name: "meridian-waivers",
      description:
        "Carries the stack's waiver list (config `waivers`) and applies it to every rule's findings.",
      enforcementLevel: "mandatory",
      ...WAIVERS_META,
      tags: ["cloud:common", "area:waivers"],
      configSchema: {
        properties: {
          waivers: WAIVER_SCHEMA,
          today: {
            type: "string",
            description: "Evaluate expiry as of this date (tests); default: today (UTC).",
          },
        },
      },
      validateResource: (args) => {
        const cfg = args.getConfig<{ waivers?: unknown; today?: string }>();
        setWaivers(cfg.waivers, cfg.today);
        args.notApplicable("publishes the waiver list; findings are reported by each rule");
      },
    },
    {
      name: "meridian-waiver-valid",
      description:
        "Every waiver names a rule of the pack, a resource, a reason and an expiry date that has not passed.",
      enforcementLevel: "mandatory",
      ...WAIVERS_META,
      tags: ["cloud:common", "area:waivers"],
      validateStack: (args, reportViolation) => {
        const list = waivers();
        if (list.length === 0) args.notApplicable("no waivers");
        for (const w of list) {
          const problem = waiverProblem(w, knownRules());
          if (problem)
            reportViolation(
              `waiver ${JSON.stringify({ rule: w.rule, resource: w.resource })} ${problem}; it waives nothing.`,
            );
        }
      },
    },
  ];
}

export const commonRules = [imageDigest];

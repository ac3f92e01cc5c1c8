/**
 * Serverless runtime: Cloud Run v2 services and jobs with their IAM members, Cloud Scheduler jobs, and
 * Artifact Registry repositories. A new service reports revision 00001 as ready and serving 100% of
 * traffic; its run.app URLs follow Google's two forms ("Cloud Run: HTTPS request > Service URL",
 * docs.cloud.google.com/run/docs/triggering/https-request): the deterministic
 * `https://NAME-PROJECT_NUMBER.REGION.run.app` (when the label fits 63 characters) and the hash-based
 * `https://NAME-HASH-RC.a.run.app`. The hash and revision suffix are placeholders.
 */
import { hex, str, uuid } from "../context";
import {
  Computed,
  CREATED,
  Ctx,
  fingerprint,
  iamMember,
  located,
  locatedRef,
  locationOf,
  Model,
} from "./shared";
import { ResourceCall } from "../context";

/** Cloud Run's short region code in hash URLs (us-central1 -> uc, europe-west1 -> ew). */
export function runRegionCode(region: string): string {
  const [a = "x", b = "x"] = region.split("-");
  return `${a[0]}${b[0]}`;
}

/** A condition in the Ready state, as a new service or job reports it. */
function readyCondition(): Computed {
  return {
    type: "Ready",
    state: "CONDITION_SUCCEEDED",
    lastTransitionTime: CREATED,
    message: "",
    reason: "",
    revisionReason: "",
    executionReason: "",
    severity: "",
  };
}

/** Metadata every Cloud Run v2 resource reports after creation. */
function runMetadata(call: ResourceCall, ctx: Ctx): Computed {
  return {
    effectiveAnnotations: { ...((call.inputs.annotations as object) ?? {}) },
    uid: uuid(`${ctx.seed}/uid`),
    etag: fingerprint(ctx.seed),
    generation: "1",
    observedGeneration: "1",
    reconciling: false,
    createTime: CREATED,
    updateTime: CREATED,
    conditions: [],
    terminalConditions: [readyCondition()],
    // Not scheduled for deletion; the deployer's identity (creator, lastModifier) stays unknown.
    deleteTime: "",
    expireTime: "",
  };
}

const service: Model = (call, ctx) => {
  const region = locationOf(call, ctx);
  const base = located("services")(call, ctx);
  const revision = `${base.id}/revisions/${ctx.name}-00001-${letters(ctx.seed, 3)}`;
  ctx.placeholder("runUrl");
  ctx.placeholder("projectNumber");
  const hashUrl = `https://${ctx.name}-${hex(`${ctx.seed}/url`, 10)}-${runRegionCode(region)}.a.run.app`;
  const label = `${ctx.name}-${ctx.projectNumber}`;
  const deterministic = label.length <= 63 ? [`https://${label}.${region}.run.app`] : [];
  const disabled = call.inputs.defaultUriDisabled === true;
  return {
    id: base.id,
    out: {
      ...base.out,
      ...runMetadata(call, ctx),
      uri: disabled ? "" : hashUrl,
      urls: disabled ? [] : [...deterministic, hashUrl],
      latestReadyRevision: revision,
      latestCreatedRevision: revision,
      trafficStatuses: [
        { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100, revision: "", tag: "", uri: "" },
      ],
    },
  };
};

const job: Model = (call, ctx) => {
  const base = located("jobs")(call, ctx);
  return {
    id: base.id,
    out: { ...base.out, ...runMetadata(call, ctx), executionCount: 0, latestCreatedExecutions: [] },
  };
};

/** Lowercase letters (Cloud Run revision suffixes), deterministic per seed. */
function letters(seed: string, n: number): string {
  return [...hex(`${seed}/rev`, n * 2).matchAll(/../g)]
    .map((m) => String.fromCharCode(97 + (parseInt(m[0], 16) % 26)))
    .join("");
}

/** Artifact Registry's host for a format: `LOCATION-docker.pkg.dev` and so on. */
function registryUri(call: ResourceCall, ctx: Ctx, repositoryId: string): string {
  const format = (str(call.inputs, "format") ?? "DOCKER").toLowerCase();
  return `${locationOf(call, ctx)}-${format}.pkg.dev/${ctx.project}/${repositoryId}`;
}

export const RUN_MODELS: Record<string, Model> = {
  "gcp:cloudrunv2/service:Service": service,
  "gcp:cloudrunv2/job:Job": job,
  "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": iamMember((call, ctx) =>
    locatedRef(call, ctx, "services", "name"),
  ),
  "gcp:cloudrunv2/jobIamMember:JobIamMember": iamMember((call, ctx) => locatedRef(call, ctx, "jobs", "name")),
  "gcp:cloudscheduler/job:Job": (call, ctx) => {
    const region = str(call.inputs, "region") ?? ctx.region;
    return {
      id: `projects/${ctx.project}/locations/${region}/jobs/${ctx.name}`,
      out: { name: ctx.name, region, state: call.inputs.paused === true ? "PAUSED" : "ENABLED" },
    };
  },
  "gcp:artifactregistry/repository:Repository": (call, ctx) => {
    const repositoryId = str(call.inputs, "repositoryId") ?? ctx.name;
    const location = locationOf(call, ctx);
    return {
      id: `projects/${ctx.project}/locations/${location}/repositories/${repositoryId}`,
      out: {
        name: repositoryId,
        repositoryId,
        location,
        registryUri: registryUri(call, ctx, repositoryId),
        createTime: CREATED,
        updateTime: CREATED,
      },
    };
  },
  "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": iamMember((call, ctx) =>
    locatedRef(call, ctx, "repositories", "repository"),
  ),
};

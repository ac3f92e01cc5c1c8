/**
 * Cloud Monitoring (notification channels, alert policies with their conditions, uptime checks,
 * dashboards) and Cloud Logging (log buckets, sinks, exclusions). Monitoring names carry ids Google
 * assigns (numbers, or a slug plus suffix for uptime checks): placeholders, reported as such.
 */
import { hex, str, uuid } from "../context";
import { CREATED, Model, numericId } from "./shared";

/** Uptime check ids: the display name as a slug plus a suffix Google picks. */
function uptimeCheckId(displayName: string | undefined, seed: string): string {
  const slug = (displayName ?? "uptime-check")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 50);
  return `${slug}-${hex(`${seed}/uptime`, 10)}`;
}

export const MONITORING_MODELS: Record<string, Model> = {
  "gcp:monitoring/notificationChannel:NotificationChannel": (_call, ctx) => {
    const name = `projects/${ctx.project}/notificationChannels/${numericId(ctx.seed)}`;
    ctx.placeholder("assignedId");
    return { id: name, out: { name } };
  },
  "gcp:monitoring/alertPolicy:AlertPolicy": (call, ctx) => {
    const name = `projects/${ctx.project}/alertPolicies/${numericId(ctx.seed)}`;
    ctx.placeholder("assignedId");
    // Each condition gets a name under its policy.
    const conditions = Array.isArray(call.inputs.conditions)
      ? call.inputs.conditions.map((c, i) => ({
          ...(c as object),
          name: `${name}/conditions/${numericId(`${ctx.seed}/c${i}`)}`,
        }))
      : undefined;
    return {
      id: name,
      out: {
        name,
        ...(conditions ? { conditions } : {}),
        creationRecords: [{ mutateTime: CREATED, mutatedBy: "offline-preview" }],
      },
    };
  },
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": (call, ctx) => {
    const id = uptimeCheckId(str(call.inputs, "displayName"), ctx.seed);
    const name = `projects/${ctx.project}/uptimeCheckConfigs/${id}`;
    ctx.placeholder("assignedId");
    return { id: name, out: { name, uptimeCheckId: id } };
  },
  // Dashboards are named with the project number and a UUID.
  "gcp:monitoring/dashboard:Dashboard": (_call, ctx) => {
    ctx.placeholder("projectNumber");
    return { id: `projects/${ctx.projectNumber}/dashboards/${uuid(ctx.seed)}`, out: {} };
  },
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": (call, ctx) => {
    const bucketId = str(call.inputs, "bucketId") ?? ctx.name;
    const id = `projects/${ctx.project}/locations/${str(call.inputs, "location") ?? "global"}/buckets/${bucketId}`;
    return { id, out: { name: id, lifecycleState: "ACTIVE" } };
  },
  "gcp:logging/projectSink:ProjectSink": (call, ctx) => {
    const name = str(call.inputs, "name") ?? ctx.name;
    ctx.placeholder("projectNumber");
    return {
      id: `projects/${ctx.project}/sinks/${name}`,
      out: {
        name,
        // With uniqueWriterIdentity (the default) the sink writes as its own Google-managed account.
        writerIdentity: `serviceAccount:service-${ctx.projectNumber}@gcp-sa-logging.iam.gserviceaccount.com`,
      },
    };
  },
  "gcp:logging/projectExclusion:ProjectExclusion": (call, ctx) => {
    const name = str(call.inputs, "name") ?? ctx.name;
    return { id: `projects/${ctx.project}/exclusions/${name}`, out: { name } };
  },
};

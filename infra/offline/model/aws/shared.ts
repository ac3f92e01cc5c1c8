/** Shared pieces of the offline AWS model: zones, regions, the model signature and context. */
import { type ModelEnv, type ResourceCall, autoName, hex, str } from "../context";

/** Real AZ names of common regions (the first few); other regions get a, b, c. */
const REGION_AZS: Record<string, string[]> = {
  "us-east-1": ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"],
  "us-east-2": ["us-east-2a", "us-east-2b", "us-east-2c"],
  "us-west-1": ["us-west-1a", "us-west-1c"],
  "us-west-2": ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"],
  "eu-west-1": ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  "eu-central-1": ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
  "sa-east-1": ["sa-east-1a", "sa-east-1b", "sa-east-1c"],
  "ap-southeast-1": ["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"],
};

/** Availability zones of a region (as the offline model knows them). */
export function awsZones(region: string): string[] {
  return REGION_AZS[region] ?? ["a", "b", "c"].map((s) => `${region}${s}`);
}

/** The AZ id (use1-az1 style) of an AZ name. */
export function zoneId(az: string): string {
  const m = /^([a-z]{2})-([a-z]+)-(\d)([a-z])$/.exec(az);
  if (!m) return `${az}-id`;
  return `${m[1]}${m[2][0]}${m[3]}-az${m[4].charCodeAt(0) - 96}`;
}

/**
 * Region of a resource or call: its own `region` argument (AWS provider v7 takes one per resource), else
 * the explicit provider's region, else `aws:region` config, else us-east-1.
 */
export function regionFrom(
  args: Record<string, unknown>,
  provider: Record<string, unknown> | undefined,
  env: ModelEnv,
): string {
  return (
    str(args, "region") ??
    (provider && typeof provider.region === "string" ? provider.region : undefined) ??
    env.config["aws:region"] ??
    "us-east-1"
  );
}

export function regionOf(call: ResourceCall, env: ModelEnv): string {
  return regionFrom(call.inputs, env.providerInputs(call.provider), env);
}

export type Computed = Record<string, unknown>;
export type Model = (call: ResourceCall, ctx: Ctx) => { id: string; out: Computed };

export interface Ctx {
  region: string;
  account: string;
  seed: string;
  arn(service: string, resource: string, opts?: { global?: boolean; noAccount?: boolean }): string;
}

/** A security group rule resource (aws.vpc.SecurityGroupIngressRule / EgressRule). */
export function sgRule(_call: ResourceCall, ctx: Ctx): { id: string; out: Computed } {
  const id = `sgr-0${hex(ctx.seed, 16)}`;
  return { id, out: { securityGroupRuleId: id, arn: ctx.arn("ec2", `security-group-rule/${id}`) } };
}

/** S3 bucket configuration resources: identified by their bucket. */
export function bucketSub(call: ResourceCall): { id: string; out: Computed } {
  return { id: str(call.inputs, "bucket") ?? call.name, out: {} };
}

export function s3Bucket(call: ResourceCall, ctx: Ctx): { id: string; out: Computed } {
  const bucket = str(call.inputs, "bucket") ?? autoName(call, { lowercase: true, maxLength: 63 });
  return {
    id: bucket,
    out: {
      bucket,
      arn: `arn:aws:s3:::${bucket}`,
      bucketDomainName: `${bucket}.s3.amazonaws.com`,
      bucketRegionalDomainName: `${bucket}.s3.${ctx.region}.amazonaws.com`,
      hostedZoneId: "Z3AQBSTGFYJSTF",
      region: ctx.region,
    },
  };
}

/**
 * Validation of the AWS `Service` args: every arg checked synchronously, defaults applied, one error per
 * problem naming the arg, the value and what is allowed. Also the {@link ServiceKit} the service's building
 * blocks (load balancer, listeners, roles, task definitions, ...) receive from the component.
 *
 * Pure: no resources. The container args (image, environment, secrets) are checked by containers.ts, which
 * applies the same image check again when an Output image resolves. Tested through the component in
 * service.mock.test.ts ("validation").
 */
import * as pulumi from "@pulumi/pulumi";
import { asciiDescription } from "../shared/naming";
import { Tags } from "../shared/tags";
import { bool, intIn, show } from "../shared/validate";
import { validateEnvironment, validateImage, validateSecrets } from "./containerInputs";
import { FARGATE_SIZES } from "./fargate";
import { checkStatement, Statement } from "./iam";
import { LOG_RETENTION_DAYS } from "./network";
import { ORIGIN_VERIFY_HEADER } from "./serviceArgs";
import { OTEL_COLLECTOR_IMAGE } from "./otelCollector";
import type { PartKit } from "./partKit";
import {
  INGRESS_MODES,
  IngressMode,
  SERVICE_DEFAULTS,
  ServiceArgs,
  ServiceTransforms,
  TaskEgressRule,
} from "./serviceArgs";

/** The validated args with defaults applied. */
export interface ServiceSettings {
  otelCollectorImage: string;
  image: pulumi.Input<string>;
  requireDigest: boolean;
  cpu: number;
  memoryMiB: number;
  containerPort: number;
  minInstances: number;
  maxInstances: number;
  spot: boolean;
  requireOnDemandBase: boolean;
  environment: Record<string, pulumi.Input<string>>;
  secrets: Record<string, pulumi.Input<string>>;
  taskPolicyStatements: Statement[];
  healthCheckPath: string;
  healthCheckGracePeriodSeconds: number;
  logRetentionDays: number;
  otelCollector: boolean;
  domain?: string;
  ingress: IngressMode;
  deletionProtection: boolean;
  idleTimeoutSeconds: number;
  accessLogRetentionDays: number;
  stopTimeoutSeconds: number;
  cpuTargetPercent: number;
  requestsPerTarget: number;
  taskEgress: TaskEgressRule[];
  enableExecuteCommand: boolean;
  privatePaths: string[];
  tags: Tags;
}

/**
 * What the service's building blocks share: the {@link PartKit} (the component, its name, child options and
 * tags, the transforms) plus the validated settings.
 */
export interface ServiceKit extends PartKit<ServiceTransforms> {
  /** The validated args with defaults applied. */
  s: ServiceSettings;
}

/** Validates ALB path patterns (`/...`, at most 128 characters, `*` and `?` wildcards; 1-5 of them). */
export function validatePrivatePaths(paths: unknown): string[] {
  if (!Array.isArray(paths) || paths.length > 5)
    throw new Error(`privatePaths is ${show(paths)}; allowed: a list of at most 5 path patterns`);
  for (const p of paths) {
    if (typeof p !== "string" || !/^\/[A-Za-z0-9_\-.$/~"'@:+*?&]{0,127}$/.test(p))
      throw new Error(
        `privatePaths contains ${show(p)}; allowed: a path pattern starting with "/" (letters, digits, _-.$/~"'@:+&, wildcards * and ?; at most 128 characters)`,
      );
  }
  return paths as string[];
}

/** Validates a Fargate CPU/memory pair. */
export function validateSize(cpu: unknown, memoryMiB: unknown): { cpu: number; memoryMiB: number } {
  const sizes = Object.keys(FARGATE_SIZES).map(Number);
  if (typeof cpu !== "number" || !sizes.includes(cpu)) {
    throw new Error(`cpu is ${show(cpu)}; allowed (Fargate CPU units, 1024 = 1 vCPU): ${sizes.join(", ")}`);
  }
  const mems = FARGATE_SIZES[cpu];
  if (typeof memoryMiB !== "number" || !mems.includes(memoryMiB)) {
    throw new Error(
      `memoryMiB is ${show(memoryMiB)}, which Fargate does not offer with cpu ${cpu}; allowed: ` +
        `${mems[0]} to ${mems[mems.length - 1]} in steps of ${mems[1] - mems[0]} (${mems.join(", ")})`,
    );
  }
  return { cpu, memoryMiB };
}

/** Validates the task egress rules. */
export function validateTaskEgress(rules: unknown): TaskEgressRule[] {
  if (!Array.isArray(rules)) {
    throw new Error(
      `taskEgress is ${show(rules)}; allowed: a list of { description, port, cidrIpv4 | referencedSecurityGroupId | prefixListId }`,
    );
  }
  rules.forEach((r: TaskEgressRule, i) => {
    const where = `taskEgress[${i}]`;
    intIn(`${where}.port`, r?.port, 1, 65535);
    const targets = [r.cidrIpv4, r.referencedSecurityGroupId, r.prefixListId].filter((t) => t !== undefined);
    if (targets.length !== 1) {
      throw new Error(
        `${where} has ${targets.length} destinations; allowed: exactly one of cidrIpv4, referencedSecurityGroupId, prefixListId`,
      );
    }
    asciiDescription(String(r.description ?? ""), `${where}.description`);
    if (!r.description) throw new Error(`${where}.description is empty; allowed: an ASCII description`);
  });
  return [...(rules as TaskEgressRule[])];
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Validates every arg synchronously and applies defaults. Each error names the arg, the value and what is
 * allowed. Pure: no Pulumi resources.
 */
export function resolveServiceArgs(args: ServiceArgs): ServiceSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const d = SERVICE_DEFAULTS;
  for (const k of ["vpcId", "publicSubnetIds", "privateSubnetIds"] as const) {
    if (args[k] === undefined || args[k] === null) {
      throw new Error(`${k} is ${show(args[k])}; allowed: the Network's ${k} (required)`);
    }
  }
  const requireDigest = bool("requireDigest", args.requireDigest ?? d.requireDigest);
  const image = pulumi.Output.isInstance(args.image) ? args.image : validateImage(args.image, requireDigest);
  const { cpu, memoryMiB } = validateSize(args.cpu ?? d.cpu, args.memoryMiB ?? d.memoryMiB);
  const containerPort = intIn("containerPort", args.containerPort ?? d.containerPort, 1024, 65535);
  const minInstances = intIn("minInstances", args.minInstances ?? d.minInstances, 0, 1000);
  const maxInstances = intIn("maxInstances", args.maxInstances ?? d.maxInstances, 0, 1000);
  if (minInstances > maxInstances) {
    throw new Error(
      `minInstances (${minInstances}) is greater than maxInstances (${maxInstances}); allowed: minInstances <= maxInstances`,
    );
  }
  const spot = bool("spot", args.spot ?? d.spot);
  const requireOnDemandBase = bool("requireOnDemandBase", args.requireOnDemandBase ?? d.requireOnDemandBase);
  const environment = validateEnvironment(args.environment);
  const secrets = validateSecrets(args.secrets, environment);
  const taskPolicyStatements = args.taskPolicyStatements ?? [];
  if (!Array.isArray(taskPolicyStatements)) {
    throw new Error(
      `taskPolicyStatements is ${show(taskPolicyStatements)}; allowed: a list of IAM statements`,
    );
  }
  taskPolicyStatements.forEach((s, i) => checkStatement(s, `taskPolicyStatements[${i}]`));
  const healthCheckPath = args.healthCheckPath ?? d.healthCheckPath;
  if (
    typeof healthCheckPath !== "string" ||
    !/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,1023}$/.test(healthCheckPath)
  ) {
    throw new Error(
      `healthCheckPath is ${show(healthCheckPath)}; allowed: a URL path starting with "/" (e.g. "/health/ready")`,
    );
  }
  const healthCheckGracePeriodSeconds = intIn(
    "healthCheckGracePeriodSeconds",
    args.healthCheckGracePeriodSeconds ?? d.healthCheckGracePeriodSeconds,
    0,
    7200,
  );
  const logRetentionDays = args.logRetentionDays ?? d.logRetentionDays;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    throw new Error(
      `logRetentionDays is ${show(logRetentionDays)}; allowed (CloudWatch Logs): ${LOG_RETENTION_DAYS.join(", ")}`,
    );
  }
  const otelCollector = bool("otelCollector", args.otelCollector ?? d.otelCollector);
  let otelCollectorImage = OTEL_COLLECTOR_IMAGE;
  if (args.otelCollectorImage !== undefined) {
    try {
      otelCollectorImage = validateImage(args.otelCollectorImage, requireDigest);
    } catch (e) {
      throw new Error((e as Error).message.replace(/^image /, "otelCollectorImage "));
    }
  }
  const domain = args.domain;
  if (domain !== undefined && (typeof domain !== "string" || !DOMAIN.test(domain))) {
    throw new Error(`domain is ${show(domain)}; allowed: a lowercase DNS name such as "api.example.com"`);
  }
  if (args.hostedZoneId !== undefined && domain === undefined) {
    throw new Error(`hostedZoneId is set but domain is not; allowed: hostedZoneId only together with domain`);
  }
  const ingress = args.ingress ?? (domain ? "internet" : "cloudfront");
  if (!(INGRESS_MODES as readonly string[]).includes(ingress)) {
    throw new Error(`ingress is ${show(ingress)}; allowed: "internet", "cloudfront"`);
  }
  if (ingress === "internet" && domain === undefined) {
    throw new Error(
      `ingress is "internet" but domain is not set; without a domain there is no certificate, so the ALB could only ` +
        `serve plain HTTP to the internet. Allowed: set domain (HTTPS with an ACM certificate, HTTP redirects to ` +
        `HTTPS), or ingress: "cloudfront" (CloudFront terminates TLS with its certificate; the ALB accepts only ` +
        `CloudFront's origin-facing servers carrying the secret ${ORIGIN_VERIFY_HEADER} header)`,
    );
  }
  if (args.cloudFrontPrefixListId !== undefined && ingress !== "cloudfront") {
    throw new Error(
      `cloudFrontPrefixListId is set but ingress is ${show(ingress)}; it is only used with ingress "cloudfront"`,
    );
  }
  const tags = args.tags as unknown;
  if (tags === null || typeof tags !== "object" || Array.isArray(tags)) {
    throw new Error(`tags is ${show(tags)}; allowed: a map of strings (pass the standard set, awsTags(...))`);
  }
  return {
    otelCollectorImage,
    image,
    requireDigest,
    cpu,
    memoryMiB,
    containerPort,
    minInstances,
    maxInstances,
    spot,
    requireOnDemandBase,
    environment,
    secrets,
    taskPolicyStatements,
    healthCheckPath,
    healthCheckGracePeriodSeconds,
    logRetentionDays,
    otelCollector,
    domain,
    ingress: ingress as IngressMode,
    deletionProtection: bool("deletionProtection", args.deletionProtection ?? d.deletionProtection),
    idleTimeoutSeconds: intIn("idleTimeoutSeconds", args.idleTimeoutSeconds ?? d.idleTimeoutSeconds, 1, 4000),
    accessLogRetentionDays: intIn(
      "accessLogRetentionDays",
      args.accessLogRetentionDays ?? d.accessLogRetentionDays,
      1,
      3650,
    ),
    stopTimeoutSeconds: intIn("stopTimeoutSeconds", args.stopTimeoutSeconds ?? d.stopTimeoutSeconds, 2, 120),
    cpuTargetPercent: intIn("cpuTargetPercent", args.cpuTargetPercent ?? d.cpuTargetPercent, 10, 90),
    requestsPerTarget: intIn(
      "requestsPerTarget",
      args.requestsPerTarget ?? d.requestsPerTarget,
      1,
      1_000_000,
    ),
    taskEgress: validateTaskEgress(args.taskEgress ?? d.taskEgress),
    enableExecuteCommand: bool("enableExecuteCommand", args.enableExecuteCommand ?? d.enableExecuteCommand),
    privatePaths: validatePrivatePaths(args.privatePaths ?? [...d.privatePaths]),
    tags: { ...(tags as Tags) },
  };
}

/**
 * Validation of the GCP Network's args (components/gcp/network.ts) and the defaults applied: each CIDR arg
 * (IPv4, aligned, RFC 1918, prefix bounds), the ranges disjoint, connector sizing, flow log tuning, health
 * check ports, labels. Pure: no Pulumi resources, so it tests without mocks and config validation can call
 * {@link resolveNetworkArgs}. Errors name the arg, the value and what is allowed.
 */
import { validateLabels } from "../shared/tags";
import { oneOf, show } from "../shared/validate";
import { alignedText, Cidr, formatCidr, isAligned, isRfc1918, overlaps, parseCidr } from "../shared/cidr";
import {
  CONNECTOR_MACHINE_TYPES,
  ConnectorOptions,
  FLOW_LOG_INTERVALS,
  FLOW_LOG_METADATA,
  FlowLogOptions,
  NAT_LOG_FILTERS,
  NETWORK_DEFAULTS,
  NetworkArgs,
  NetworkSettings,
  SecondaryRanges,
  SERVERLESS_EGRESS_MODES,
} from "./networkArgs";

/**
 * Validates one CIDR arg: IPv4 notation, aligned to its prefix, inside RFC 1918, prefix within bounds.
 * Throws an error naming the arg, the value and what is allowed.
 */
export function validateCidr(arg: string, value: unknown, bounds: { min: number; max: number }): Cidr {
  const c = parseCidr(value, arg);
  if (!isAligned(c)) {
    throw new Error(
      `${arg} "${formatCidr(c)}" has host bits set; a /${c.prefix} must start at its network address: use "${alignedText(c)}"`,
    );
  }
  if (!isRfc1918(c)) {
    throw new Error(
      `${arg} "${formatCidr(c)}" is not an RFC 1918 private range; allowed: inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`,
    );
  }
  if (c.prefix < bounds.min || c.prefix > bounds.max) {
    const allowed = bounds.min === bounds.max ? `exactly /${bounds.min}` : `/${bounds.min} to /${bounds.max}`;
    throw new Error(`${arg} "${formatCidr(c)}" is a /${c.prefix}; allowed: ${allowed}`);
  }
  return c;
}

/** Throws when any two of the named ranges overlap, naming both args and both values. */
export function validateDisjoint(ranges: { arg: string; cidr: Cidr }[]): void {
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const a = ranges[i];
      const b = ranges[j];
      if (overlaps(a.cidr, b.cidr)) {
        throw new Error(
          `${a.arg} "${formatCidr(a.cidr)}" overlaps ${b.arg} "${formatCidr(b.cidr)}"; the subnet, private services, ` +
            `connector and secondary ranges must not share addresses`,
        );
      }
    }
  }
}

/** Validates connector sizing (min 2-9, max 3-10, min < max, known machine type) and applies defaults. */
export function validateConnector(connector: ConnectorOptions = {}): Required<ConnectorOptions> {
  const d = NETWORK_DEFAULTS.connector;
  const min = connector.minInstances ?? d.minInstances;
  const max = connector.maxInstances ?? d.maxInstances;
  if (!Number.isInteger(min) || min < 2) {
    throw new Error(
      `connector.minInstances is ${show(min)}; allowed: an integer >= 2 (and below maxInstances)`,
    );
  }
  if (!Number.isInteger(max) || max > 10) {
    throw new Error(
      `connector.maxInstances is ${show(max)}; allowed: an integer <= 10 (and above minInstances)`,
    );
  }
  if (min >= max) {
    throw new Error(
      `connector.minInstances (${min}) must be less than connector.maxInstances (${max}); allowed: 2 <= min < max <= 10`,
    );
  }
  const machineType = oneOf(
    "connector.machineType",
    connector.machineType ?? d.machineType,
    CONNECTOR_MACHINE_TYPES,
  );
  return { minInstances: min, maxInstances: max, machineType };
}

/** Validates flow log tuning (known interval and metadata, 0 < flowSampling <= 1) and applies defaults. */
export function validateFlowLogs(flowLogs: FlowLogOptions = {}): Required<FlowLogOptions> {
  const d = NETWORK_DEFAULTS.flowLogs;
  const flowSampling = flowLogs.flowSampling ?? d.flowSampling;
  if (typeof flowSampling !== "number" || !(flowSampling > 0 && flowSampling <= 1)) {
    throw new Error(
      `flowLogs.flowSampling is ${show(flowSampling)}; allowed: a number greater than 0 and at most 1 (flow logs stay on)`,
    );
  }
  const retentionDays = flowLogs.retentionDays ?? d.retentionDays;
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 3650) {
    throw new Error(
      `flowLogs.retentionDays is ${show(retentionDays)}; allowed: a whole number of days from 1 to 3650 (Cloud Logging bucket retention)`,
    );
  }
  return {
    retentionDays,
    aggregationInterval: oneOf(
      "flowLogs.aggregationInterval",
      flowLogs.aggregationInterval ?? d.aggregationInterval,
      FLOW_LOG_INTERVALS,
    ),
    flowSampling,
    metadata: oneOf("flowLogs.metadata", flowLogs.metadata ?? d.metadata, FLOW_LOG_METADATA),
  };
}

// Label validation is shared by every GCP component (components/shared/tags.ts).
export { validateLabels };

/** Validates health-check ports: a non-empty list of distinct integers 1-65535. */
export function validateHealthCheckPorts(ports: number[] = [...NETWORK_DEFAULTS.healthCheckPorts]): number[] {
  if (!Array.isArray(ports) || ports.length === 0) {
    throw new Error(
      `healthCheckPorts is ${show(ports)}; allowed: a non-empty list of TCP ports (an empty list would open every port)`,
    );
  }
  for (const p of ports) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) {
      throw new Error(`healthCheckPorts contains ${show(p)}; allowed: integers 1-65535`);
    }
  }
  if (new Set(ports).size !== ports.length) throw new Error(`healthCheckPorts ${show(ports)} has duplicates`);
  return [...ports];
}

/**
 * Validates every arg synchronously and applies defaults. Errors name the arg, the value and what is allowed.
 * Pure: no Pulumi resources, usable in tests and config validation.
 */
export function resolveNetworkArgs(args: NetworkArgs): NetworkSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const d = NETWORK_DEFAULTS;
  if (args.project === undefined || args.project === null || args.project === "") {
    throw new Error(`project is ${show(args.project)}; allowed: a GCP project id, e.g. "meridian-prod-123"`);
  }
  if (
    typeof args.project === "string" &&
    !/^(?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(args.project)
  ) {
    throw new Error(
      `project "${args.project}" is not a GCP project id; allowed: [a-z][a-z0-9-]{4,28}[a-z0-9]`,
    );
  }
  if (typeof args.region !== "string" || !/^[a-z]+(?:-[a-z]+)+\d+$/.test(args.region)) {
    throw new Error(`region is ${show(args.region)}; allowed: a GCP region name, e.g. "us-central1"`);
  }
  const serverlessEgress = oneOf(
    "serverlessEgress",
    args.serverlessEgress ?? d.serverlessEgress,
    SERVERLESS_EGRESS_MODES,
  );
  const natLogFilter = oneOf("natLogFilter", args.natLogFilter ?? d.natLogFilter, NAT_LOG_FILTERS);
  const enableApis = args.enableApis ?? d.enableApis;
  if (typeof enableApis !== "boolean")
    throw new Error(`enableApis is ${show(enableApis)}; allowed: true or false`);

  // Direct VPC egress takes instance IPs from the subnet, 16 at a time: Google requires /26 or larger.
  const subnetMax = serverlessEgress === "direct" ? 26 : 29;
  const subnetCidr = validateCidr("subnetCidr", args.subnetCidr ?? d.subnetCidr, { min: 8, max: subnetMax });
  const privateServicesCidr = validateCidr(
    "privateServicesCidr",
    args.privateServicesCidr ?? d.privateServicesCidr,
    {
      min: 16,
      max: 24,
    },
  );
  const ranges = [
    { arg: "subnetCidr", cidr: subnetCidr },
    { arg: "privateServicesCidr", cidr: privateServicesCidr },
  ];
  const connectorCidrText = args.connectorCidr ?? d.connectorCidr;
  // Validated whenever given (a typo should not wait for the switch to connector mode), but it only has to
  // be free of the other ranges when a connector is actually created.
  if (args.connectorCidr !== undefined || serverlessEgress === "connector") {
    const connectorCidr = validateCidr("connectorCidr", connectorCidrText, { min: 28, max: 28 });
    if (serverlessEgress === "connector") ranges.push({ arg: "connectorCidr", cidr: connectorCidr });
  }
  const connector = validateConnector(args.connector);
  let secondaryRanges: SecondaryRanges | undefined;
  if (args.secondaryRanges !== undefined) {
    const s = args.secondaryRanges;
    const pods = validateCidr("secondaryRanges.pods", s?.pods, { min: 8, max: 29 });
    const services = validateCidr("secondaryRanges.services", s?.services, { min: 8, max: 29 });
    ranges.push(
      { arg: "secondaryRanges.pods", cidr: pods },
      { arg: "secondaryRanges.services", cidr: services },
    );
    secondaryRanges = { pods: formatCidr(pods), services: formatCidr(services) };
  }
  validateDisjoint(ranges);

  return {
    region: args.region,
    subnetCidr: formatCidr(subnetCidr),
    privateServicesCidr: formatCidr(privateServicesCidr),
    serverlessEgress,
    connectorCidr: connectorCidrText,
    connector,
    secondaryRanges,
    flowLogs: validateFlowLogs(args.flowLogs),
    natLogFilter,
    enableApis,
    healthCheckPorts: validateHealthCheckPorts(args.healthCheckPorts),
    labels: validateLabels(args.labels),
  };
}

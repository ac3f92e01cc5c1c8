/**
 * The AWS Network's args validated and resolved into {@link NetworkSettings} ({@link resolveNetworkArgs}):
 * synchronous, pure (no resources), every error naming the arg, the value and what is allowed. The zone,
 * endpoint and flow log checks live with their building blocks; the subnet plan is `./subnetPlan`.
 * Tested in networkSettings.mock.test.ts.
 */
import { isRfc1918 } from "../shared/cidr";
import { Tags } from "../shared/tags";
import { oneOf, show } from "../shared/validate";
import { validateZones, type ZoneRequest } from "./availabilityZones";
import { type FlowLogSettings, validateFlowLogs } from "./flowLogs";
import { NAT_STRATEGIES, type NatStrategy } from "./natGateways";
import { resolveNatInstance, type NatInstanceSettings } from "./natInstance";
import { NETWORK_DEFAULTS, type NetworkArgs } from "./networkArgs";
import { planSubnets, SubnetPlan, validateVpcCidr, zoneLetter } from "./subnetPlan";
import { validateTags } from "./validate";
import { validateInterfaceEndpoints } from "./vpcEndpoints";

/** The validated args with defaults applied. */
export interface NetworkSettings {
  cidr: string;
  zones: ZoneRequest;
  /** Number of AZs (known before the region is asked). */
  zoneCount: number;
  /** The letter naming each zone's subnets, by zone index (`a`, `b`, ...). */
  zoneLetters: string[];
  /** Every subnet's tier, zone index, CIDR and name suffix. */
  plan: SubnetPlan[];
  natStrategy: NatStrategy;
  /** The NAT instance's settings (defaults when `natStrategy` is not `instance`; unused then). */
  natInstance: NatInstanceSettings;
  interfaceEndpoints: string[];
  flowLogs: FlowLogSettings;
  tags: Tags;
}

/**
 * Validates the VPC CIDR: IPv4, /16 to /22, aligned (see `validateVpcCidr`), and inside RFC 1918.
 * Errors name `cidr` and quote the value.
 */
export function validateCidr(cidr: unknown): string {
  const c = validateVpcCidr(cidr as string);
  if (!isRfc1918(c)) {
    throw new Error(
      `cidr "${cidr}" is not an RFC 1918 private range; allowed: inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`,
    );
  }
  return cidr as string;
}

/**
 * Validates every arg synchronously and applies defaults. Each error names the arg, the value and what is
 * allowed. Pure: no Pulumi resources.
 */
export function resolveNetworkArgs(args: NetworkArgs): NetworkSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const cidr = validateCidr(args.cidr ?? NETWORK_DEFAULTS.cidr);
  const zones = validateZones(args.azCount, args.availabilityZones);
  const natStrategy = oneOf("natStrategy", args.natStrategy ?? NETWORK_DEFAULTS.natStrategy, NAT_STRATEGIES);
  if (args.natInstance !== undefined && natStrategy !== "instance")
    throw new Error(
      `natInstance is set but natStrategy is ${show(natStrategy)}; allowed: natInstance only with natStrategy "instance"`,
    );
  const natInstance = resolveNatInstance(args.natInstance);
  const interfaceEndpoints = validateInterfaceEndpoints(args.interfaceEndpoints);
  const flowLogs = validateFlowLogs(args.flowLogs);
  const tags = validateTags(args.tags);
  if (args.transform !== undefined && (args.transform === null || typeof args.transform !== "object")) {
    throw new Error(`transform is ${show(args.transform)}; allowed: an object of per-child transforms`);
  }
  // With azCount the AZ names are only known once the region answers; the names of the resources must be
  // known now, so they use the zone's slot letter (a, b, c, d), which is the AZ letter in regions whose first
  // AZs are contiguous. With explicit AZs, the AZ letter.
  const labels =
    "availabilityZones" in zones
      ? zones.availabilityZones
      : Array.from({ length: zones.azCount }, (_, i) => String.fromCharCode(97 + i));
  const plan = planSubnets(cidr, labels);
  return {
    cidr,
    zones,
    zoneCount: labels.length,
    zoneLetters: labels.map((z, i) => zoneLetter(z, i)),
    plan,
    natStrategy,
    natInstance,
    interfaceEndpoints,
    flowLogs,
    tags,
  };
}

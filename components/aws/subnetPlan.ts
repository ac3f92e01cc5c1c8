/**
 * The AWS VPC subnet plan: which CIDR every subnet gets, computed from the VPC CIDR and the zone index
 * alone, so the plan is stable by construction (pure functions, no Pulumi).
 *
 * Layout of a VPC with prefix /p (16 <= p <= 22), in slots of the VPC:
 *
 * | Tier     | Size    | Slots (zone index i = 0..3) | /16 example (10.40.0.0/16)              |
 * | -------- | ------- | --------------------------- | --------------------------------------- |
 * | private  | /(p+3)  | i of 8                      | 10.40.0.0/19, 10.40.32.0/19, ...        |
 * | public   | /(p+5)  | 16 + i of 32                | 10.40.128.0/21, 10.40.136.0/21, ...     |
 * | isolated | /(p+5)  | 20 + i of 32                | 10.40.160.0/21, 10.40.168.0/21, ...     |
 * | reserved | /(p+2)  | the last quarter            | 10.40.192.0/18, kept free for growth    |
 *
 * Private subnets (the workloads) take the first half of the VPC; public and isolated subnets one
 * eighth each. Slots of zones not in use (with 2 or 3 AZs) stay free for the AZs added later, and the
 * last quarter is never allocated by this plan (room for new tiers, e.g. a second private tier or
 * endpoints). A subnet's CIDR depends only on the VPC CIDR, its tier and its zone index: adding an AZ
 * appends subnets and never moves existing ones.
 */

import { alignedText, blockSize, Cidr, formatCidr, isAligned, parseCidr } from "../shared/cidr";

/** The three subnet tiers. */
export type SubnetTier = "public" | "private" | "isolated";

/** The tiers in the order the plan lists them. */
export const SUBNET_TIERS = ["public", "private", "isolated"] as const satisfies readonly SubnetTier[];

/** The most AZs the plan has slots for. */
export const MAX_ZONES = 4;

/** VPC prefixes the plan supports (a /22 still leaves /27 public and isolated subnets). */
export const VPC_PREFIX = { min: 16, max: 22 } as const;

/** One planned subnet. */
export interface SubnetPlan {
  tier: SubnetTier;
  /** The zone as passed to {@link planSubnets} (an AZ name such as `us-east-1a`). */
  zone: string;
  /** Position of the zone in the list (0-3); the subnet's slot. */
  zoneIndex: number;
  /** The subnet's CIDR, e.g. `10.40.128.0/21`. */
  cidr: string;
  /** `<tier>-<zone letter>`, e.g. `private-a`: the stable part of the subnet's names. */
  suffix: string;
}

/** Size exponent and first slot of each tier, relative to the VPC prefix. */
const LAYOUT: Record<SubnetTier, { extraBits: number; firstSlot: number }> = {
  private: { extraBits: 3, firstSlot: 0 },
  public: { extraBits: 5, firstSlot: 16 },
  isolated: { extraBits: 5, firstSlot: 20 },
};

/**
 * Parses and validates a VPC CIDR for the plan: IPv4, prefix /16 to /22, aligned to its prefix.
 * Errors name `cidr` and quote the value.
 */
export function validateVpcCidr(cidr: string): Cidr {
  const c = parseCidr(cidr, "cidr");
  if (c.prefix < VPC_PREFIX.min || c.prefix > VPC_PREFIX.max) {
    throw new Error(
      `cidr "${cidr}" is a /${c.prefix}; allowed: /${VPC_PREFIX.min} to /${VPC_PREFIX.max} (AWS VPCs are /16-/28, ` +
        `and the subnet plan needs /${VPC_PREFIX.max} or larger)`,
    );
  }
  if (!isAligned(c)) {
    const aligned = alignedText(c);
    throw new Error(
      `cidr "${cidr}" has host bits set; a /${c.prefix} must start at its network address: use "${aligned}"`,
    );
  }
  return c;
}

/** The letter that names a zone's subnets: the AZ's trailing letter (`us-east-1a` -> `a`), else the slot letter. */
export function zoneLetter(zone: string, zoneIndex: number): string {
  const m = /[a-z]$/.exec(zone);
  return m ? m[0] : String.fromCharCode(97 + zoneIndex);
}

/**
 * Plans the public, private and isolated subnets of a VPC across the given zones (1 to 4), in tier order
 * (public, private, isolated) and zone order within a tier. See the layout in this module's comment.
 *
 * @example planSubnets("10.40.0.0/16", ["us-east-1a", "us-east-1b"])
 *   // public-a 10.40.128.0/21, public-b 10.40.136.0/21, private-a 10.40.0.0/19, private-b 10.40.32.0/19,
 *   // isolated-a 10.40.160.0/21, isolated-b 10.40.168.0/21
 */
export function planSubnets(vpcCidr: string, zones: string[]): SubnetPlan[] {
  const vpc = validateVpcCidr(vpcCidr);
  if (!Array.isArray(zones) || zones.length < 1 || zones.length > MAX_ZONES) {
    const n = Array.isArray(zones) ? zones.length : JSON.stringify(zones);
    throw new Error(
      `azCount is ${n}; allowed: 1 to ${MAX_ZONES} zones (the plan has ${MAX_ZONES} slots per tier)`,
    );
  }
  const letters = zones.map((z, i) => zoneLetter(z, i));
  const duplicate = letters.find((l, i) => letters.indexOf(l) !== i);
  if (duplicate !== undefined) {
    throw new Error(
      `availabilityZones ${JSON.stringify(zones)} has two zones with the letter "${duplicate}"; each zone must be distinct`,
    );
  }
  return SUBNET_TIERS.flatMap((tier) =>
    zones.map((zone, zoneIndex) => {
      const { extraBits, firstSlot } = LAYOUT[tier];
      const prefix = vpc.prefix + extraBits;
      const address = vpc.address + (firstSlot + zoneIndex) * blockSize(prefix);
      return {
        tier,
        zone,
        zoneIndex,
        cidr: formatCidr({ address, prefix }),
        suffix: `${tier}-${letters[zoneIndex]}`,
      };
    }),
  );
}

/** The CIDR the plan never allocates (the last quarter of the VPC), documented as room for growth. */
export function reservedCidr(vpcCidr: string): string {
  const vpc = validateVpcCidr(vpcCidr);
  const prefix = vpc.prefix + 2;
  return formatCidr({ address: vpc.address + 3 * blockSize(prefix), prefix });
}

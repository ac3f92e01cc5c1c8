/**
 * Which AZs the AWS network spans: the args (`azCount` or an explicit `availabilityZones` list, checked by
 * the pure {@link validateZones}), and the region's answer (the pure {@link selectZones}, applied to
 * `aws.getAvailabilityZones` by {@link resolveZones}). Tested in networkSettings.mock.test.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { show } from "../shared/validate";
import { MAX_ZONES } from "./subnetPlan";

/** How many AZs a network spans when neither `azCount` nor `availabilityZones` is given. */
export const DEFAULT_AZ_COUNT = 2;

/** How the AZs are chosen: the first N available, or an explicit list. */
export type ZoneRequest = { azCount: number } | { availabilityZones: string[] };

/** The AZs the network spans, once the region has confirmed them. */
export interface Zones {
  all: pulumi.Output<string[]>;
  /** The AZ of one zone index. */
  at(zoneIndex: number): pulumi.Output<string>;
}

/** Validates `azCount` / `availabilityZones` (mutually exclusive; 2-4 AZs; names like `us-east-1a`). */
export function validateZones(azCount: unknown, availabilityZones: unknown): ZoneRequest {
  if (azCount !== undefined && availabilityZones !== undefined) {
    throw new Error(
      `azCount (${show(azCount)}) and availabilityZones (${show(availabilityZones)}) are mutually exclusive; pass only one`,
    );
  }
  if (availabilityZones !== undefined) {
    const zones = availabilityZones as unknown[];
    if (!Array.isArray(zones) || zones.length < 2 || zones.length > MAX_ZONES) {
      throw new Error(`availabilityZones is ${show(zones)}; allowed: a list of 2 to ${MAX_ZONES} AZ names`);
    }
    for (const z of zones) {
      if (typeof z !== "string" || !/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(z)) {
        throw new Error(
          `availabilityZones contains ${show(z)}; allowed: AZ names such as "us-east-1a" (not AZ ids, not Local Zones)`,
        );
      }
    }
    const region = (zones[0] as string).slice(0, -1);
    const other = (zones as string[]).find((z) => z.slice(0, -1) !== region);
    if (other) {
      throw new Error(
        `availabilityZones mixes regions (${show(zones[0])} and ${show(other)}); use one region`,
      );
    }
    const dup = (zones as string[]).find((z, i) => zones.indexOf(z) !== i);
    if (dup) throw new Error(`availabilityZones lists ${show(dup)} twice; each AZ must be distinct`);
    return { availabilityZones: [...(zones as string[])] };
  }
  const n = azCount ?? DEFAULT_AZ_COUNT;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 2 || n > MAX_ZONES) {
    throw new Error(`azCount is ${show(n)}; allowed: an integer from 2 to ${MAX_ZONES}`);
  }
  return { azCount: n };
}

/**
 * Picks the AZs from the region's available ones: the first `azCount`, or checks the explicit list.
 * Throws an error naming the arg, the region, its AZs and the count when the region cannot satisfy it.
 */
export function selectZones(available: string[], region: string, request: ZoneRequest): string[] {
  const list = available.join(", ");
  if ("availabilityZones" in request) {
    const missing = request.availabilityZones.filter((z) => !available.includes(z));
    if (missing.length > 0) {
      throw new Error(
        `availabilityZones ${missing.map(show).join(", ")} ${missing.length === 1 ? "is" : "are"} not available in ` +
          `region ${region}, which has ${available.length} available AZs: ${list}`,
      );
    }
    return [...request.availabilityZones];
  }
  if (available.length < request.azCount) {
    const fix =
      available.length >= 2
        ? `set azCount to at most ${Math.min(available.length, MAX_ZONES)} or use a region with more AZs`
        : `use a region with at least 2 AZs`;
    throw new Error(
      `azCount is ${request.azCount} but region ${region} has only ${available.length} available AZs (${list}); ${fix}`,
    );
  }
  return available.slice(0, request.azCount);
}

/**
 * The AZs, checked against the region's available AZs (Local and Wavelength Zones excluded). Every subnet
 * takes its AZ from here, so a region that cannot satisfy the request fails the deployment with the reason
 * (prefixed `Network "<name>": `) before any subnet is created.
 */
export function resolveZones(
  parent: pulumi.Resource,
  name: string,
  request: ZoneRequest,
  region: pulumi.Output<string>,
): Zones {
  const available = aws.getAvailabilityZonesOutput(
    { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
    { parent },
  );
  const selected = pulumi.all([available.names, region]).apply(([names, r]) => {
    try {
      return { zones: selectZones(names, r, request), error: undefined };
    } catch (e) {
      return { zones: [] as string[], error: `Network "${name}": ${(e as Error).message}` };
    }
  });
  // A fresh error per consumer: the SDK prefixes the message of the error it is handed with the property it
  // was serializing, so one shared error would read "error serializing ... error serializing ...".
  const pick = <T>(f: (zones: string[]) => T): pulumi.Output<T> =>
    selected.apply((s) => {
      if (s.error !== undefined) throw new Error(s.error);
      return f(s.zones);
    });
  return { all: pick((z) => z), at: (i) => pick((z) => z[i]) };
}

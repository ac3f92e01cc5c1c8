import { strict as assert } from "node:assert";
import { blockSize, isAligned, parseCidr } from "../shared/cidr";
import { planSubnets, reservedCidr, SubnetPlan, validateVpcCidr, zoneLetter } from "./subnetPlan";

const USE1 = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"];

/** tier-letter -> cidr, for compact expectations. */
const bySuffix = (plan: SubnetPlan[]) => Object.fromEntries(plan.map((s) => [s.suffix, s.cidr]));

/** First and last address of a CIDR as integers. */
function range(cidr: string): [number, number] {
  const c = parseCidr(cidr);
  return [c.address, c.address + blockSize(c.prefix) - 1];
}

describe("aws subnetPlan", () => {
  describe("planSubnets", () => {
    it("lays out a /16 exactly as documented", () => {
      const plan = planSubnets("10.40.0.0/16", USE1.slice(0, 3));
      assert.deepEqual(bySuffix(plan), {
        "public-a": "10.40.128.0/21",
        "public-b": "10.40.136.0/21",
        "public-c": "10.40.144.0/21",
        "private-a": "10.40.0.0/19",
        "private-b": "10.40.32.0/19",
        "private-c": "10.40.64.0/19",
        "isolated-a": "10.40.160.0/21",
        "isolated-b": "10.40.168.0/21",
        "isolated-c": "10.40.176.0/21",
      });
      assert.deepEqual(
        plan.map((s) => [s.tier, s.zone, s.zoneIndex]),
        [
          ["public", "us-east-1a", 0],
          ["public", "us-east-1b", 1],
          ["public", "us-east-1c", 2],
          ["private", "us-east-1a", 0],
          ["private", "us-east-1b", 1],
          ["private", "us-east-1c", 2],
          ["isolated", "us-east-1a", 0],
          ["isolated", "us-east-1b", 1],
          ["isolated", "us-east-1c", 2],
        ],
      );
      assert.equal(reservedCidr("10.40.0.0/16"), "10.40.192.0/18");
    });

    it("lays out a /20 with 4 AZs exactly", () => {
      assert.deepEqual(bySuffix(planSubnets("10.40.16.0/20", USE1)), {
        "public-a": "10.40.24.0/25",
        "public-b": "10.40.24.128/25",
        "public-c": "10.40.25.0/25",
        "public-d": "10.40.25.128/25",
        "private-a": "10.40.16.0/23",
        "private-b": "10.40.18.0/23",
        "private-c": "10.40.20.0/23",
        "private-d": "10.40.22.0/23",
        "isolated-a": "10.40.26.0/25",
        "isolated-b": "10.40.26.128/25",
        "isolated-c": "10.40.27.0/25",
        "isolated-d": "10.40.27.128/25",
      });
      assert.equal(reservedCidr("10.40.16.0/20"), "10.40.28.0/22");
    });

    it("names subnets after the AZ letter (us-west-1 has a and c)", () => {
      const plan = planSubnets("10.40.0.0/16", ["us-west-1a", "us-west-1c"]);
      assert.deepEqual(
        plan.map((s) => s.suffix),
        ["public-a", "public-c", "private-a", "private-c", "isolated-a", "isolated-c"],
      );
      // The CIDR follows the slot, not the letter.
      assert.equal(bySuffix(plan)["private-c"], "10.40.32.0/19");
      assert.equal(zoneLetter("", 2), "c");
    });

    it("never overlaps, stays inside the VPC and leaves the last quarter free, for every prefix and AZ count", () => {
      for (const vpcCidr of [
        "10.40.0.0/16",
        "172.16.0.0/17",
        "192.168.0.0/18",
        "10.0.16.0/20",
        "10.1.4.0/22",
      ]) {
        const [vpcFirst, vpcLast] = range(vpcCidr);
        const [resFirst, resLast] = range(reservedCidr(vpcCidr));
        for (let n = 1; n <= 4; n++) {
          const plan = planSubnets(vpcCidr, USE1.slice(0, n));
          assert.equal(plan.length, 3 * n);
          const ranges = plan.map((s) => ({ s, r: range(s.cidr) }));
          for (const { s, r } of ranges) {
            assert.ok(r[0] >= vpcFirst && r[1] <= vpcLast, `${s.cidr} outside ${vpcCidr}`);
            assert.ok(r[1] < resFirst || r[0] > resLast, `${s.cidr} in the reserved range`);
            assert.ok(isAligned(parseCidr(s.cidr)), `${s.cidr} not aligned`);
          }
          for (let i = 0; i < ranges.length; i++) {
            for (let j = i + 1; j < ranges.length; j++) {
              const [a, b] = [ranges[i].r, ranges[j].r];
              assert.ok(
                a[1] < b[0] || b[1] < a[0],
                `${ranges[i].s.cidr} overlaps ${ranges[j].s.cidr} in ${vpcCidr}`,
              );
            }
          }
        }
      }
    });

    it("sizes tiers relative to the VPC prefix (private p+3, public and isolated p+5)", () => {
      for (const p of [16, 18, 20, 22]) {
        const plan = planSubnets(`10.0.0.0/${p}`, USE1.slice(0, 2));
        for (const s of plan) {
          assert.equal(parseCidr(s.cidr).prefix, s.tier === "private" ? p + 3 : p + 5, s.cidr);
        }
      }
    });

    it("adding AZs never moves existing subnets (2 -> 3 -> 4)", () => {
      const two = planSubnets("10.40.0.0/16", USE1.slice(0, 2));
      const three = planSubnets("10.40.0.0/16", USE1.slice(0, 3));
      const four = planSubnets("10.40.0.0/16", USE1);
      for (const s of two) {
        assert.deepEqual(
          three.find((t) => t.suffix === s.suffix),
          s,
        );
        assert.deepEqual(
          four.find((t) => t.suffix === s.suffix),
          s,
        );
      }
      for (const s of three)
        assert.deepEqual(
          four.find((t) => t.suffix === s.suffix),
          s,
        );
    });

    it("rejects bad VPC CIDRs, naming `cidr` and the value", () => {
      const cases: [string, RegExp][] = [
        ["10.40.0.0/15", /cidr "10\.40\.0\.0\/15" is a \/15; allowed: \/16 to \/22/],
        ["10.40.0.0/23", /cidr "10\.40\.0\.0\/23" is a \/23; allowed: \/16 to \/22/],
        ["10.40.1.0/16", /cidr "10\.40\.1\.0\/16" has host bits set.*use "10\.40\.0\.0\/16"/],
        ["10.40.0.0", /cidr "10\.40\.0\.0" is not an IPv4 CIDR/],
        ["not-a-cidr", /cidr "not-a-cidr" is not an IPv4 CIDR/],
      ];
      for (const [bad, re] of cases) {
        assert.throws(() => planSubnets(bad, USE1.slice(0, 2)), re, bad);
        assert.throws(() => validateVpcCidr(bad), re, bad);
      }
    });

    it("rejects zero or more than 4 zones, naming `azCount`", () => {
      assert.throws(() => planSubnets("10.40.0.0/16", []), /azCount is 0; allowed: 1 to 4/);
      assert.throws(
        () => planSubnets("10.40.0.0/16", [...USE1, "us-east-1e"]),
        /azCount is 5; allowed: 1 to 4/,
      );
    });

    it("rejects two zones with the same letter", () => {
      assert.throws(
        () => planSubnets("10.40.0.0/16", ["us-east-1a", "us-east-1a"]),
        /availabilityZones .* letter "a"/,
      );
    });
  });
});

import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { awsZones } from "../../infra/offline/model/aws";
import { ofType, promiseOf } from "../../infra/offline/testing";
import { type Args, networkSuite, subnetLayout, T, TAGS } from "./network.testkit";

const { suite, build } = networkSuite();

describe("aws Network settings and zones (mocks)", () => {
  describe("options", () => {
    it("explicit availabilityZones: subnets named after the AZ letters, in that order", async () => {
      const b = await build("net-explicit", {
        availabilityZones: ["us-east-1a", "us-east-1c", "us-east-1d"],
      });
      const layout = subnetLayout(b, "net-explicit");
      assert.deepEqual(layout["private-a"], ["10.40.0.0/19", "us-east-1a", "private"]);
      assert.deepEqual(layout["private-c"], ["10.40.32.0/19", "us-east-1c", "private"]);
      assert.deepEqual(layout["public-d"], ["10.40.144.0/21", "us-east-1d", "public"]);
      assert.deepEqual(b.suffixes(T.nat), ["nat-a"]);
      assert.deepEqual(await promiseOf(b.net.availabilityZones), ["us-east-1a", "us-east-1c", "us-east-1d"]);
    });
  });

  describe("validation (synchronous, before any resource)", () => {
    const throwsSync = (args: Args, pattern: RegExp) => {
      const before = suite.session.resources.length;
      assert.throws(() => new suite.mod.Network("net-invalid", { tags: TAGS, ...args }), pattern);
      assert.equal(suite.session.resources.length, before, "a failed validation registered resources");
    };

    it("rejects a bad cidr, naming `cidr` and the value", () => {
      throwsSync(
        { cidr: "10.40.0.0/24" },
        /Network "net-invalid": cidr "10\.40\.0\.0\/24" is a \/24; allowed: \/16 to \/22/,
      );
      throwsSync({ cidr: "10.40.1.0/16" }, /cidr "10\.40\.1\.0\/16" has host bits set.*"10\.40\.0\.0\/16"/);
      throwsSync({ cidr: "10.40.0.0" }, /cidr "10\.40\.0\.0" is not an IPv4 CIDR/);
      throwsSync({ cidr: "100.64.0.0/16" }, /cidr "100\.64\.0\.0\/16" is not an RFC 1918 private range/);
    });

    it("rejects azCount outside 2-4, naming `azCount`", () => {
      throwsSync({ azCount: 5 }, /azCount is 5; allowed: an integer from 2 to 4/);
      throwsSync({ azCount: 1 }, /azCount is 1; allowed/);
      throwsSync({ azCount: 2.5 }, /azCount is 2\.5; allowed/);
    });

    it("rejects azCount together with availabilityZones", () => {
      throwsSync(
        { azCount: 2, availabilityZones: ["us-east-1a", "us-east-1b"] },
        /azCount \(2\) and availabilityZones \(\["us-east-1a","us-east-1b"\]\) are mutually exclusive/,
      );
    });

    it("rejects bad availabilityZones lists", () => {
      throwsSync(
        { availabilityZones: ["us-east-1a"] },
        /availabilityZones is \["us-east-1a"\]; allowed: a list of 2 to 4/,
      );
      throwsSync({ availabilityZones: ["us-east-1a", "use1-az2"] }, /availabilityZones contains "use1-az2"/);
      throwsSync(
        { availabilityZones: ["us-east-1a", "us-east-1a"] },
        /availabilityZones lists "us-east-1a" twice/,
      );
      throwsSync({ availabilityZones: ["us-east-1a", "eu-west-1b"] }, /availabilityZones mixes regions/);
    });

    it("rejects a retention CloudWatch does not accept, naming `flowLogs.retentionDays`", () => {
      throwsSync(
        { flowLogs: { retentionDays: 45 } },
        /flowLogs\.retentionDays is 45; allowed \(CloudWatch Logs\): 1, 3, 5, 7, 14, 30/,
      );
      throwsSync({ flowLogs: { retentionDays: 0 } }, /flowLogs\.retentionDays is 0/);
    });

    it("rejects other bad options, naming each", () => {
      throwsSync(
        { natStrategy: "perAZ" as never },
        /natStrategy is "perAZ"; allowed: "none", "single", "perAz"/,
      );
      throwsSync(
        { flowLogs: { trafficType: "all" as never } },
        /flowLogs\.trafficType is "all"; allowed: "ALL", "ACCEPT", "REJECT"/,
      );
      throwsSync(
        { flowLogs: { maxAggregationInterval: 300 as never } },
        /flowLogs\.maxAggregationInterval is 300; allowed: 60, 600/,
      );
      throwsSync(
        { flowLogs: { kmsKeyArn: "alias/logs" } },
        /flowLogs\.kmsKeyArn is "alias\/logs"; allowed: a KMS key ARN/,
      );
      throwsSync({ interfaceEndpoints: ["s3"] }, /interfaceEndpoints contains "s3"; S3 is already reached/);
      throwsSync(
        { interfaceEndpoints: ["com.amazonaws.us-east-1.sts"] },
        /interfaceEndpoints contains "com\.amazonaws\.us-east-1\.sts"/,
      );
      throwsSync({ interfaceEndpoints: ["sts", "sts"] }, /interfaceEndpoints lists "sts" twice/);
      throwsSync({ tags: undefined as never }, /tags is undefined; allowed: a map of strings/);
    });
  });

  describe("pure helpers", () => {
    it("selectZones: a region with too few AZs fails, naming azCount, the region's AZs and the count", () => {
      const usWest1 = awsZones("us-west-1");
      assert.throws(
        () => suite.mod.selectZones(usWest1, "us-west-1", { azCount: 3 }),
        /azCount is 3 but region us-west-1 has only 2 available AZs \(us-west-1a, us-west-1c\); set azCount to at most 2/,
      );
      assert.deepEqual(suite.mod.selectZones(usWest1, "us-west-1", { azCount: 2 }), [
        "us-west-1a",
        "us-west-1c",
      ]);
      assert.deepEqual(suite.mod.selectZones(awsZones("us-east-1"), "us-east-1", { azCount: 3 }), [
        "us-east-1a",
        "us-east-1b",
        "us-east-1c",
      ]);
      assert.throws(
        () =>
          suite.mod.selectZones(usWest1, "us-west-1", { availabilityZones: ["us-west-1a", "us-west-1b"] }),
        /availabilityZones "us-west-1b" is not available in region us-west-1, which has 2 available AZs: us-west-1a, us-west-1c/,
      );
    });

    it("resolveNetworkArgs applies the documented defaults", () => {
      const s = suite.mod.resolveNetworkArgs({ tags: TAGS });
      assert.equal(s.cidr, "10.40.0.0/16");
      assert.deepEqual(s.zones, { azCount: 2 });
      assert.equal(s.natStrategy, "single");
      assert.deepEqual(s.interfaceEndpoints, []);
      assert.deepEqual(s.flowLogs, {
        retentionDays: 30,
        trafficType: "ALL",
        maxAggregationInterval: 600,
        kmsKeyArn: undefined,
      });
      assert.deepEqual(s.zoneLetters, ["a", "b"]);
    });
  });

  // Keep last: a region that cannot satisfy the AZ request fails the deployment, which leaves the failed
  // registrations pending in this process (so no `settle()` here, and nothing may run after it).
  describe("region without the requested AZs (runs last)", () => {
    after(() => {
      // The registrations that failed stay pending in the mock monitor, and at exit the SDK would report them
      // as leaked promises and set exit code 1 (a real engine reports the error and stops instead). They are
      // the expected outcome of this test, so clear the SDK's leak list.
      const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { leakedPromises(): unknown };
      debuggable.leakedPromises();
    });

    it("fails clearly, before any subnet is registered, when the AZs are not in the region", async () => {
      const net = new suite.mod.Network("net-west", {
        tags: TAGS,
        availabilityZones: ["us-west-1a", "us-west-1c"],
      });
      await assert.rejects(rejectionOf(net.availabilityZones), (e: Error) => {
        assert.match(
          e.message,
          /^Network "net-west": availabilityZones "us-west-1a", "us-west-1c" are not available in region us-east-1, which has 6 available AZs: us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f/,
        );
        return true;
      });
      const urn = await promiseOf(net.urn);
      assert.deepEqual(
        ofType(suite.session, T.subnet).filter((s) => s.parent === urn),
        [],
      );
    });
  });
});

/** The settled value of an output as a promise, which rejects when the output does. */
function rejectionOf<T>(output: pulumi.Output<T>): Promise<T> {
  // Output#promise is the SDK's own accessor for an output's settled value (including a rejection).
  return (output as unknown as { promise(): Promise<T> }).promise();
}

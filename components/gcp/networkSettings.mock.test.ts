import { strict as assert } from "node:assert";
import { Args, networkSuite, PROJECT } from "./network.testkit";

const { suite } = networkSuite();

describe("gcp Network (mocks)", () => {
  describe("validation (synchronous, before any resource)", () => {
    const base = { project: PROJECT, region: "us-central1" };
    const throwsSync = (args: Args, pattern: RegExp) => {
      const before = suite.session.resources.length;
      assert.throws(() => new suite.mod.Network("net-invalid", { ...base, ...args }), pattern);
      assert.equal(suite.session.resources.length, before, "a failed validation registered resources");
    };

    it("rejects overlapping ranges, naming both args", () => {
      throwsSync(
        { privateServicesCidr: "10.60.0.0/16" },
        /Network "net-invalid": subnetCidr "10\.60\.0\.0\/20" overlaps privateServicesCidr "10\.60\.0\.0\/16"/,
      );
      throwsSync(
        { serverlessEgress: "connector", connectorCidr: "10.60.15.240/28" },
        /subnetCidr "10\.60\.0\.0\/20" overlaps connectorCidr "10\.60\.15\.240\/28"/,
      );
      throwsSync(
        { secondaryRanges: { pods: "10.61.128.0/17", services: "10.68.0.0/20" } },
        /privateServicesCidr "10\.61\.0\.0\/16" overlaps secondaryRanges\.pods "10\.61\.128\.0\/17"/,
      );
      throwsSync(
        { secondaryRanges: { pods: "10.64.0.0/14", services: "10.64.0.0/20" } },
        /secondaryRanges\.pods "10\.64\.0\.0\/14" overlaps secondaryRanges\.services "10\.64\.0\.0\/20"/,
      );
    });

    it("rejects a connector range that is not a /28", () => {
      throwsSync(
        { serverlessEgress: "connector", connectorCidr: "10.62.0.0/27" },
        /connectorCidr "10\.62\.0\.0\/27" is a \/27; allowed: exactly \/28/,
      );
    });

    it("rejects non-RFC 1918, unaligned and malformed CIDRs", () => {
      throwsSync(
        { subnetCidr: "100.64.0.0/20" },
        /subnetCidr "100\.64\.0\.0\/20" is not an RFC 1918 private range/,
      );
      throwsSync(
        { subnetCidr: "10.60.1.0/20" },
        /subnetCidr "10\.60\.1\.0\/20" has host bits set.*"10\.60\.0\.0\/20"/,
      );
      throwsSync(
        { subnetCidr: "10.60.0.0" },
        /subnetCidr "10\.60\.0\.0" is not an IPv4 CIDR: missing the prefix length/,
      );
      throwsSync(
        { privateServicesCidr: "10.61.0.0/25" },
        /privateServicesCidr "10\.61\.0\.0\/25" is a \/25; allowed: \/16 to \/24/,
      );
    });

    it("requires a /26 or larger subnet for Direct VPC egress only", () => {
      throwsSync(
        { subnetCidr: "10.60.0.0/27" },
        /subnetCidr "10\.60\.0\.0\/27" is a \/27; allowed: \/8 to \/26/,
      );
      assert.equal(
        suite.mod.resolveNetworkArgs({ ...base, subnetCidr: "10.60.0.0/27", serverlessEgress: "connector" })
          .subnetCidr,
        "10.60.0.0/27",
      );
    });

    it("rejects bad flowSampling", () => {
      throwsSync(
        { flowLogs: { flowSampling: 0 } },
        /flowLogs\.flowSampling is 0; allowed: a number greater than 0 and at most 1/,
      );
      throwsSync({ flowLogs: { flowSampling: 1.5 } }, /flowLogs\.flowSampling is 1\.5/);
      throwsSync({ flowLogs: { flowSampling: Number.NaN } }, /flowLogs\.flowSampling is NaN/);
      throwsSync(
        { flowLogs: { retentionDays: 0 } },
        /flowLogs\.retentionDays is 0; allowed: a whole number of days from 1 to 3650/,
      );
      throwsSync({ flowLogs: { retentionDays: 30.5 } }, /flowLogs\.retentionDays is 30\.5/);
    });

    it("rejects bad connector sizing", () => {
      throwsSync(
        { connector: { minInstances: 1 } },
        /connector\.minInstances is 1; allowed: an integer >= 2/,
      );
      throwsSync(
        { connector: { maxInstances: 11 } },
        /connector\.maxInstances is 11; allowed: an integer <= 10/,
      );
      throwsSync(
        { connector: { minInstances: 3, maxInstances: 3 } },
        /connector\.minInstances \(3\) must be less than connector\.maxInstances \(3\)/,
      );
      throwsSync(
        { connector: { machineType: "n1-standard-1" as never } },
        /connector\.machineType is "n1-standard-1"; allowed: "e2-micro"/,
      );
    });

    it("rejects unknown enum values, bad labels, ports, region and project", () => {
      throwsSync(
        { serverlessEgress: "vpn" as never },
        /serverlessEgress is "vpn"; allowed: "direct", "connector"/,
      );
      throwsSync({ natLogFilter: "SOME" as never }, /natLogFilter is "SOME"/);
      throwsSync(
        { flowLogs: { aggregationInterval: "INTERVAL_2_MIN" as never } },
        /flowLogs\.aggregationInterval/,
      );
      throwsSync({ labels: { Team: "x" } }, /labels key "Team" is invalid/);
      throwsSync({ labels: { team: "Platform" } }, /labels\.team value "Platform" is invalid/);
      throwsSync({ healthCheckPorts: [] }, /healthCheckPorts is \[\]; allowed: a non-empty list/);
      throwsSync({ healthCheckPorts: [70000] }, /healthCheckPorts contains 70000/);
      throwsSync({ region: "Central US" }, /region is "Central US"/);
      throwsSync({ project: "" }, /project is ""/);
      throwsSync({ project: "My Project" }, /project "My Project" is not a GCP project id/);
    });

    it("validates connectorCidr when given even in direct mode, but only checks overlap when used", () => {
      throwsSync({ connectorCidr: "8.8.8.0/28" }, /connectorCidr "8\.8\.8\.0\/28" is not an RFC 1918/);
      const s = suite.mod.resolveNetworkArgs({ ...base, subnetCidr: "10.62.0.0/20" });
      assert.equal(s.subnetCidr, "10.62.0.0/20");
    });

    it("resolveNetworkArgs applies the documented defaults", () => {
      const s = suite.mod.resolveNetworkArgs(base);
      assert.deepEqual(s, {
        region: "us-central1",
        subnetCidr: "10.60.0.0/20",
        privateServicesCidr: "10.61.0.0/16",
        serverlessEgress: "direct",
        connectorCidr: "10.62.0.0/28",
        connector: { minInstances: 2, maxInstances: 3, machineType: "e2-micro" },
        secondaryRanges: undefined,
        flowLogs: {
          aggregationInterval: "INTERVAL_5_MIN",
          flowSampling: 0.5,
          metadata: "INCLUDE_ALL_METADATA",
          retentionDays: 30,
        },
        natLogFilter: "ERRORS_ONLY",
        enableApis: true,
        healthCheckPorts: [8080],
        labels: {},
      });
    });
  });
});

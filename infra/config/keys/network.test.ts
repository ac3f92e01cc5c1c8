/** The network keys (keys/network.ts): the VPC and GCP ranges, their format, size and overlaps. Pure. */
import { strict as assert } from "node:assert";
import { cidrsOverlap } from "../index";
import { AWS, GCP, onlyProblem, parse, problem, reject } from "../testing";

describe("config", () => {
  describe("errors", () => {
    describe("CIDRs", () => {
      const vpc = (cidr: string) => onlyProblem({ ...AWS, "meridian:vpcCidr": cidr }, "meridian:vpcCidr");

      it("a misaligned CIDR suggests the aligned one", () => {
        assert.match(vpc("10.40.1.0/16"), /host bits set.*did you mean 10\.40\.0\.0\/16\?/);
        assert.match(vpc("10.40.0.1/22"), /did you mean 10\.40\.0\.0\/22\?/);
      });

      it("text that is not a CIDR", () => {
        assert.match(vpc("banana"), /not an IPv4 CIDR like 10\.40\.0\.0\/16/);
        assert.match(vpc("10.0.0.0/33"), /prefix length is greater than 32/);
        assert.match(vpc("10.0.300.0/16"), /greater than 255/);
        assert.match(vpc("10.40.0.0"), /missing the prefix length/);
        assert.match(vpc("010.40.0.0/16"), /leading zeros/);
        assert.match(vpc(" 10.40.0.0/16"), /not an IPv4 CIDR/);
      });

      it("prefix length out of range", () => {
        assert.match(vpc("10.0.0.0/8"), /between \/16 and \/22/);
        assert.match(vpc("10.40.0.0/24"), /between \/16 and \/22/);
      });

      it("public (non-RFC 1918) ranges", () => {
        for (const cidr of ["8.8.0.0/16", "172.32.0.0/16", "192.169.0.0/16", "100.64.0.0/16"]) {
          assert.match(vpc(cidr), /RFC 1918/, cidr);
        }
        for (const cidr of ["10.255.0.0/16", "172.31.0.0/16", "192.168.0.0/16"]) {
          assert.equal(parse({ ...AWS, "meridian:vpcCidr": cidr }).aws.vpcCidr, cidr);
        }
      });

      it("GCP ranges must not overlap; the problem names both keys", () => {
        const err = reject({ ...GCP, "meridian:privateServicesCidr": "10.60.0.0/16" });
        assert.equal(err.problems.length, 1, err.message);
        assert.match(
          problem(err, "meridian:privateServicesCidr").message,
          /overlaps meridian:subnetCidr = "10\.60\.0\.0\/20"/,
        );
        const connector = reject({
          ...GCP,
          "meridian:serverlessEgress": "connector",
          "meridian:connectorCidr": "10.61.4.0/28",
        });
        assert.match(
          problem(connector, "meridian:connectorCidr").message,
          /overlaps meridian:privateServicesCidr = "10\.61\.0\.0\/16"/,
        );
        // With Direct VPC egress the connector range is unused, so not checked.
        assert.doesNotThrow(() => parse({ ...GCP, "meridian:connectorCidr": "10.61.4.0/28" }));
      });

      it("the connector range must be exactly /28 (only checked with a connector)", () => {
        const values = {
          ...GCP,
          "meridian:serverlessEgress": "connector",
          "meridian:connectorCidr": "10.62.0.0/27",
        };
        assert.match(onlyProblem(values, "meridian:connectorCidr"), /must be a \/28/);
        assert.equal(
          parse({ ...GCP, "meridian:connectorCidr": "10.62.0.0/27" }).gcp.connectorCidr,
          "10.62.0.0/27",
        );
        assert.match(
          onlyProblem({ ...GCP, "meridian:subnetCidr": "10.60.0.0/25" }, "meridian:subnetCidr"),
          /\/16 and \/24/,
        );
      });

      it("the other cloud's network keys are checked only when set", () => {
        assert.doesNotThrow(() => parse({ ...GCP, "meridian:serverlessEgress": "connector" }, "dev"));
        assert.match(
          onlyProblem({ ...AWS, "meridian:subnetCidr": "10.60.1.0/20" }, "meridian:subnetCidr"),
          /did you mean 10\.60\.0\.0\/20/,
        );
        assert.match(
          onlyProblem({ ...GCP, "meridian:vpcCidr": "8.8.0.0/16" }, "meridian:vpcCidr"),
          /RFC 1918/,
        );
      });
    });
  });

  describe("NAT instance (natStrategy instance, natInstanceAmi)", () => {
    it("allowed in dev, refused in prod with the reason", () => {
      const dev = parse({ ...AWS, "meridian:natStrategy": "instance" }, "dev");
      assert.equal(dev.aws.natStrategy, "instance");
      assert.equal(dev.aws.natInstanceAmi, undefined);
      assert.match(
        onlyProblem({ ...AWS, "meridian:natStrategy": "instance" }, "meridian:natStrategy", "prod"),
        /must not be instance in prod: one EC2 instance with no SLA.*allowed in prod: none, single, perAz/,
      );
    });

    it("natInstanceAmi: an AMI id, checked only with a NAT instance", () => {
      const values = { ...AWS, "meridian:natStrategy": "instance" };
      const ami = "ami-0123456789abcdef0";
      assert.equal(parse({ ...values, "meridian:natInstanceAmi": ami }, "dev").aws.natInstanceAmi, ami);
      assert.match(
        onlyProblem({ ...values, "meridian:natInstanceAmi": "ami-xyz" }, "meridian:natInstanceAmi"),
        /not an AMI id: ami- and 8 or 17 hex digits/,
      );
      assert.doesNotThrow(() => parse({ ...AWS, "meridian:natInstanceAmi": "ami-xyz" }, "dev"));
    });
  });

  describe("CIDR helpers", () => {
    it("cidrsOverlap", () => {
      assert.ok(cidrsOverlap("10.0.0.0/8", "10.60.0.0/20"));
      assert.ok(cidrsOverlap("10.60.0.0/20", "10.0.0.0/8"));
      assert.ok(cidrsOverlap("10.61.0.0/16", "10.61.255.240/28"));
      assert.ok(!cidrsOverlap("10.60.0.0/20", "10.61.0.0/16"));
      assert.ok(!cidrsOverlap("10.60.0.0/20", "10.60.16.0/20"));
      assert.throws(() => cidrsOverlap("banana", "10.0.0.0/8"), TypeError);
    });
  });
});

/**
 * The edge keys (keys/edge.ts) and the per-cloud extras read with them: Route 53 zone, WAF rate limit,
 * Cloud Armor Adaptive Protection, Cloud Run concurrency. Pure.
 */
import { strict as assert } from "node:assert";
import { AWS, GCP, onlyProblem, parse, stackValues } from "../testing";

describe("config", () => {
  describe("errors", () => {
    describe("the scheduled job", () => {
      it("AWS extras: zone id format, collector and backup defaults per profile", () => {
        assert.match(
          onlyProblem({ ...AWS, "meridian:hostedZoneId": "example.com" }, "meridian:hostedZoneId"),
          /Route 53 hosted zone id/,
        );
        const dev = parse(AWS);
        assert.deepEqual(dev.awsExtras, {
          hostedZoneId: undefined,
          backupRetentionDays: 0,
          buildImage: false,
        });
        assert.equal(dev.accountBaseline, false);
        assert.equal(dev.service.otelCollector, false);
        assert.equal(dev.wafRateLimit, 2000);
        const prod = parse(stackValues("prod", "aws"), "prod");
        assert.equal(prod.service.otelCollector, false);
        assert.ok(prod.awsExtras.backupRetentionDays >= 7);
      });

      it("GCP: wafRateLimit above Cloud Armor's 1,000,000 is refused on GCP only", () => {
        assert.match(
          onlyProblem({ ...GCP, "meridian:wafRateLimit": "5000000" }, "meridian:wafRateLimit"),
          /Cloud Armor.*1000000/,
        );
        assert.equal(parse({ ...AWS, "meridian:wafRateLimit": "5000000" }).wafRateLimit, 5000000);
      });

      it("GCP extras: Cloud Run concurrency range, Adaptive Protection on in prod only", () => {
        assert.equal(parse(GCP).service.concurrency, 80);
        assert.equal(parse(GCP).gcpExtras.adaptiveProtection, false);
        assert.equal(parse(stackValues("prod", "gcp"), "prod").gcpExtras.adaptiveProtection, true);
        assert.match(
          onlyProblem({ ...GCP, "meridian:concurrency": "0" }, "meridian:concurrency"),
          /1-1000|1 to 1000|between 1 and 1000|at least 1/,
        );
        assert.match(
          onlyProblem({ ...GCP, "meridian:adaptiveProtection": "yes" }, "meridian:adaptiveProtection"),
          /true|false/,
        );
      });
    });
  });
});

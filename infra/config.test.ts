import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import {
  cidrsOverlap,
  ConfigError,
  isDigestPinned,
  KNOWN_KEYS,
  parseConfig,
  parseCidr,
  profileFromStack,
} from "./config";

const DIGEST = "a".repeat(64);
const awsDev = { "meridian:cloud": "aws", "aws:region": "us-east-1" };
const gcpDev = { "meridian:cloud": "gcp", "gcp:project": "meridian-dev-4821", "gcp:region": "us-central1" };

function parse(values: Record<string, string>, stack = "dev", secretKeys: string[] = []) {
  return parseConfig({ project: "meridian", stack, values, secretKeys });
}

/** The problems of a config that must fail. */
function problems(values: Record<string, string>, stack = "dev", secretKeys: string[] = []): ConfigError {
  try {
    parse(values, stack, secretKeys);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err}`);
    return err;
  }
  assert.fail("expected the config to be rejected");
}

function problemFor(err: ConfigError, key: string): string {
  const p = err.problems.find((x) => x.key === key);
  assert.ok(p, `no problem for ${key}; problems: ${err.message}`);
  return p.message;
}

describe("config", () => {
  describe("valid stacks", () => {
    it("aws dev: dev profile defaults", () => {
      const c = parse(awsDev);
      assert.equal(c.cloud, "aws");
      assert.equal(c.profile, "dev");
      assert.equal(c.baseName, "meridian-dev");
      assert.deepEqual(c.aws, {
        region: "us-east-1",
        vpcCidr: "10.40.0.0/16",
        azCount: 2,
        natStrategy: "single",
      });
      assert.deepEqual(c.service, {
        cpu: 0.5,
        memoryMiB: 1024,
        minInstances: 1,
        maxInstances: 2,
        spot: false,
      });
      assert.equal(c.logRetentionDays, 30);
      assert.equal(c.database.deletionProtection, false);
      assert.deepEqual(c.tags, {
        app: "meridian",
        environment: "dev",
        owner: "platform",
        costCenter: "meridian",
      });
    });

    it("gcp dev: cloud-aware sizing defaults that Cloud Run accepts", () => {
      const c = parse(gcpDev);
      assert.equal(c.gcp.project, "meridian-dev-4821");
      assert.equal(c.gcp.serverlessEgress, "direct");
      assert.deepEqual([c.service.cpu, c.service.memoryMiB], [1, 512]);
      assert.equal(c.aws.region, "");
    });

    it("a stack named prod gets the prod profile and its defaults", () => {
      const c = parse({ ...awsDev }, "prod");
      assert.equal(c.profile, "prod");
      assert.equal(c.aws.azCount, 3);
      assert.equal(c.aws.natStrategy, "perAz");
      assert.equal(c.logRetentionDays, 90);
      assert.deepEqual([c.service.minInstances, c.service.maxInstances], [2, 10]);
      assert.deepEqual(
        [c.database.highAvailability, c.database.proxy, c.database.deletionProtection],
        [true, true, true],
      );
      assert.equal(c.cache.replicas, 1);
    });

    it("profile follows the stack name unless set", () => {
      assert.equal(profileFromStack("prod"), "prod");
      assert.equal(profileFromStack("prod-eu"), "prod");
      assert.equal(profileFromStack("production"), "prod");
      assert.equal(profileFromStack("staging"), "dev");
      assert.equal(parse({ ...awsDev, "meridian:profile": "prod" }, "staging").aws.natStrategy, "perAz");
    });

    it("a prod image pinned by digest is accepted; a dev tag too", () => {
      assert.equal(
        parse({ ...awsDev, "meridian:image": `ghcr.io/acme/api@sha256:${DIGEST}` }, "prod").image,
        `ghcr.io/acme/api@sha256:${DIGEST}`,
      );
      assert.equal(
        parse({ ...awsDev, "meridian:image": "ghcr.io/acme/api:latest" }).image,
        "ghcr.io/acme/api:latest",
      );
    });

    it("every key in the table has a description and a consistent default", () => {
      for (const [key, def] of Object.entries(KNOWN_KEYS)) {
        assert.ok(def.description.length > 10, key);
        if (def.allowed && typeof def.default === "string") assert.ok(def.allowed.includes(def.default), key);
      }
    });
  });

  describe("errors", () => {
    it("meridian:cloud = azure names the allowed clouds", () => {
      const err = problems({ ...awsDev, "meridian:cloud": "azure" });
      assert.match(problemFor(err, "meridian:cloud"), /allowed: aws, gcp/);
      assert.match(err.message, /meridian:cloud = "azure"/);
    });

    it("a missing cloud is required", () => {
      assert.match(problemFor(problems({ "aws:region": "us-east-1" }), "meridian:cloud"), /is required/);
    });

    it("reports every problem at once, each with key, value and what is allowed", () => {
      const err = problems(
        {
          ...awsDev,
          "meridian:vpcCidr": "10.40.1.0/16",
          "meridian:natStrategy": "double",
          "meridian:azCount": "7",
          "meridian:minInstances": "5",
          "meridian:maxInstances": "3",
          "meridian:image": "ghcr.io/acme/api:latest",
        },
        "prod",
      );
      assert.equal(err.problems.length, 5, err.message);
      assert.match(err.message, /^Invalid configuration for stack "prod" \(5 problems\):/);
      for (const key of ["vpcCidr", "natStrategy", "azCount", "minInstances", "image"])
        assert.match(err.message, new RegExp(`meridian:${key} = "`));
      assert.match(problemFor(err, "meridian:natStrategy"), /allowed: none, single, perAz/);
      assert.match(problemFor(err, "meridian:azCount"), /between 2 and 4/);
      assert.match(err.message, /pulumi config set <key> <value>/);
    });

    it("ConfigError is a pulumi.RunError (printed without a stack trace)", () => {
      assert.ok(problems({}) instanceof pulumi.RunError);
    });

    it("CIDRs: unparsable, misaligned with a suggestion, prefix out of range, not private", () => {
      assert.match(
        problemFor(problems({ ...awsDev, "meridian:vpcCidr": "banana" }), "meridian:vpcCidr"),
        /not an IPv4 CIDR/,
      );
      assert.match(
        problemFor(problems({ ...awsDev, "meridian:vpcCidr": "10.0.0.0/33" }), "meridian:vpcCidr"),
        /greater than 32/,
      );
      assert.match(
        problemFor(problems({ ...awsDev, "meridian:vpcCidr": "10.0.300.0/16" }), "meridian:vpcCidr"),
        /greater than 255/,
      );
      assert.match(
        problemFor(problems({ ...awsDev, "meridian:vpcCidr": "10.40.1.0/16" }), "meridian:vpcCidr"),
        /did you mean 10\.40\.0\.0\/16/,
      );
      assert.match(
        problemFor(problems({ ...awsDev, "meridian:vpcCidr": "10.0.0.0/24" }), "meridian:vpcCidr"),
        /between \/16 and \/22/,
      );
      assert.match(
        problemFor(problems({ ...awsDev, "meridian:vpcCidr": "8.8.0.0/16" }), "meridian:vpcCidr"),
        /RFC 1918/,
      );
      assert.match(
        problemFor(problems({ ...awsDev, "meridian:vpcCidr": "172.32.0.0/16" }), "meridian:vpcCidr"),
        /RFC 1918/,
      );
    });

    it("GCP ranges must not overlap; the connector range must be a /28", () => {
      const err = problems({ ...gcpDev, "meridian:privateServicesCidr": "10.60.0.0/16" });
      assert.match(
        problemFor(err, "meridian:subnetCidr"),
        /overlaps meridian:privateServicesCidr = "10\.60\.0\.0\/16"/,
      );
      const c = problems({
        ...gcpDev,
        "meridian:serverlessEgress": "connector",
        "meridian:connectorCidr": "10.62.0.0/27",
      });
      assert.match(problemFor(c, "meridian:connectorCidr"), /must be a \/28/);
      // connectorCidr is only checked when a connector is used
      assert.equal(
        parse({ ...gcpDev, "meridian:connectorCidr": "10.62.0.0/27" }).gcp.serverlessEgress,
        "direct",
      );
    });

    it("prod images must be pinned by digest; bad references are rejected anywhere", () => {
      assert.match(
        problemFor(
          problems({ ...awsDev, "meridian:image": "ghcr.io/acme/api:latest" }, "prod"),
          "meridian:image",
        ),
        /pinned by digest.*crane digest/,
      );
      assert.match(
        problemFor(
          problems({ ...awsDev, "meridian:image": "ghcr.io/acme/api:v1.2" }, "prod"),
          "meridian:image",
        ),
        /pinned by digest/,
      );
      assert.match(
        problemFor(problems({ ...awsDev, "meridian:image": "ghcr.io/Acme/API:v1" }), "meridian:image"),
        /not a valid image reference/,
      );
      assert.ok(isDigestPinned(`repo@sha256:${DIGEST}`));
      assert.ok(!isDigestPinned("repo:latest"));
    });

    it("minInstances > maxInstances names both keys and values", () => {
      const msg = problemFor(
        problems({ ...awsDev, "meridian:minInstances": "5", "meridian:maxInstances": "2" }),
        "meridian:minInstances",
      );
      assert.match(msg, /greater than meridian:maxInstances = "2"/);
    });

    it("Fargate and Cloud Run CPU/memory combinations", () => {
      assert.match(
        problemFor(
          problems({ ...awsDev, "meridian:cpu": "1", "meridian:memoryMiB": "1024" }),
          "meridian:memoryMiB",
        ),
        /Fargate with 1 vCPU allows 2048-8192 in steps of 1024 MiB/,
      );
      assert.match(
        problemFor(problems({ ...awsDev, "meridian:cpu": "3" }), "meridian:cpu"),
        /Fargate CPU must be one of/,
      );
      assert.match(
        problemFor(problems({ ...gcpDev, "meridian:cpu": "0.5" }), "meridian:cpu"),
        /concurrency 1/,
      );
      assert.match(
        problemFor(
          problems({ ...gcpDev, "meridian:cpu": "4", "meridian:memoryMiB": "1024" }),
          "meridian:memoryMiB",
        ),
        /needs 2048-32768 MiB/,
      );
      assert.equal(parse({ ...gcpDev, "meridian:cpu": "4", "meridian:memoryMiB": "4096" }).service.cpu, 4);
    });

    it("spot is AWS-only", () => {
      assert.match(
        problemFor(problems({ ...gcpDev, "meridian:spot": "true" }), "meridian:spot"),
        /Cloud Run has no spot/,
      );
      assert.equal(parse({ ...awsDev, "meridian:spot": "true" }).service.spot, true);
    });

    it("booleans, integers and numbers are parsed strictly", () => {
      assert.match(
        problemFor(problems({ ...awsDev, "meridian:spot": "yes" }), "meridian:spot"),
        /true or false/,
      );
      assert.match(
        problemFor(problems({ ...awsDev, "meridian:azCount": "2.5" }), "meridian:azCount"),
        /an integer/,
      );
      assert.match(
        problemFor(problems({ ...awsDev, "meridian:azCount": "" }), "meridian:azCount"),
        /an integer/,
      );
      assert.match(problemFor(problems({ ...awsDev, "meridian:cpu": "abc" }), "meridian:cpu"), /a number/);
    });

    it("prod safety rules", () => {
      const err = problems(
        {
          ...awsDev,
          "meridian:minInstances": "1",
          "meridian:dbDeletionProtection": "false",
          "meridian:dbBackupRetentionDays": "3",
          "meridian:cacheReplicas": "0",
          "meridian:logRetentionDays": "14",
        },
        "prod",
      );
      for (const key of [
        "minInstances",
        "dbDeletionProtection",
        "dbBackupRetentionDays",
        "cacheReplicas",
        "logRetentionDays",
      ]) {
        assert.ok(
          err.problems.some((p) => p.key === `meridian:${key}`),
          `${key}: ${err.message}`,
        );
      }
      assert.match(
        problemFor(problems({ ...awsDev, "meridian:logRetentionDays": "45" }), "meridian:logRetentionDays"),
        /allowed: 1, 3, 5/,
      );
    });

    it("a typo in a meridian key suggests the closest known key", () => {
      assert.match(
        problemFor(problems({ ...awsDev, "meridian:natStrategi": "single" }), "meridian:natStrategi"),
        /did you mean meridian:natStrategy\?/,
      );
    });

    it("secret values are printed as [secret]", () => {
      const err = problems({ ...awsDev, "meridian:alertEmail": "not-an-email" }, "dev", [
        "meridian:alertEmail",
      ]);
      assert.match(err.message, /meridian:alertEmail = \[secret\]: not an email address/);
      assert.doesNotMatch(err.message, /not-an-email"/);
    });

    it("the selected cloud's provider keys are required and checked", () => {
      assert.match(
        problemFor(problems({ "meridian:cloud": "aws" }), "aws:region"),
        /is required when meridian:cloud is aws/,
      );
      assert.match(
        problemFor(problems({ ...awsDev, "aws:region": "virginia" }), "aws:region"),
        /not an AWS region/,
      );
      const g = problems({ "meridian:cloud": "gcp" });
      assert.match(problemFor(g, "gcp:project"), /is required/);
      assert.match(problemFor(g, "gcp:region"), /is required/);
      assert.match(
        problemFor(problems({ ...gcpDev, "gcp:project": "My Project" }), "gcp:project"),
        /not a GCP project id/,
      );
    });

    it("domain must be an ASCII DNS name; alert email must look like one", () => {
      assert.match(
        problemFor(problems({ ...awsDev, "meridian:domain": "api.añil.do" }), "meridian:domain"),
        /punycode/,
      );
      assert.match(
        problemFor(problems({ ...awsDev, "meridian:domain": "localhost" }), "meridian:domain"),
        /DNS name/,
      );
      assert.equal(
        parse({ ...awsDev, "meridian:domain": "api.xn--ail-6ma.do" }).domain,
        "api.xn--ail-6ma.do",
      );
      assert.match(
        problemFor(problems({ ...awsDev, "meridian:alertEmail": "ops" }), "meridian:alertEmail"),
        /email/,
      );
    });
  });

  describe("CIDR helpers", () => {
    it("parseCidr and cidrsOverlap", () => {
      assert.deepEqual(parseCidr("10.40.0.0/16"), { address: (10 * 256 + 40) * 65536, prefix: 16 });
      assert.ok(cidrsOverlap("10.0.0.0/8", "10.60.0.0/20"));
      assert.ok(!cidrsOverlap("10.60.0.0/20", "10.61.0.0/16"));
      assert.ok(cidrsOverlap("10.61.0.0/16", "10.61.255.0/24"));
    });
  });
});

/**
 * Unit tests of infra/config/: pure parsing and validation (no Pulumi engine, no mocks), plus checks
 * that Pulumi.yaml and the stack files agree with the key table and pass validation on both clouds.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { domainToASCII } from "node:url";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import {
  cidrsOverlap,
  Cloud,
  ConfigError,
  ConfigProblem,
  defaultFor,
  formatProblems,
  isDigestPinned,
  KeyName,
  KNOWN_KEYS,
  MeridianConfig,
  parseConfig,
  parseImageReference,
  Profile,
  profileFromStack,
} from "./config";

const ROOT = path.resolve(__dirname, "..");
const DIGEST = "0123456789abcdef".repeat(4);
const AWS = { "meridian:cloud": "aws", "aws:region": "us-east-1" };
const GCP = { "meridian:cloud": "gcp", "gcp:project": "meridian-dev-4821", "gcp:region": "us-central1" };

function parse(values: Record<string, string>, stack = "dev", secretKeys: string[] = []): MeridianConfig {
  return parseConfig({ project: "meridian", stack, values, secretKeys });
}

/** The ConfigError of a config that must be rejected. */
function reject(values: Record<string, string>, stack = "dev", secretKeys: string[] = []): ConfigError {
  try {
    parse(values, stack, secretKeys);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err;
  }
  return assert.fail(`expected the config to be rejected: ${JSON.stringify(values)}`);
}

/** The one problem of `key` (fails when there is none or more than one). */
function problem(err: ConfigError, key: string): ConfigProblem {
  const found = err.problems.filter((p) => p.key === key);
  assert.equal(found.length, 1, `expected one problem for ${key}; got:\n${err.message}`);
  return found[0];
}

/** The message of the only problem a config has, which must be about `key`. */
function onlyProblem(values: Record<string, string>, key: string, stack = "dev"): string {
  const err = reject(values, stack);
  assert.equal(err.problems.length, 1, err.message);
  return problem(err, key).message;
}

/** Pulumi.yaml's declarations. */
function projectFile(): { name: string; main: string; config: Record<string, Record<string, unknown>> } {
  return yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as never;
}

/** What the Pulumi CLI passes the program for a stack: project defaults, then the stack file (as strings). */
function stackValues(stack: string, cloud?: Cloud): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, decl] of Object.entries(projectFile().config)) {
    if (decl.default !== undefined) values[`meridian:${key}`] = String(decl.default);
  }
  const doc = yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, unknown>;
  };
  for (const [key, value] of Object.entries(doc.config)) values[key] = String(value);
  if (cloud) values["meridian:cloud"] = cloud;
  return values;
}

describe("config", () => {
  describe("valid stacks and defaults", () => {
    it("aws dev: the typed object with dev defaults", () => {
      assert.deepEqual(parse(AWS), {
        project: "meridian",
        stack: "dev",
        cloud: "aws",
        profile: "dev",
        appName: "meridian",
        baseName: "meridian-dev",
        tags: { app: "meridian", environment: "dev", owner: "platform", costCenter: "meridian" },
        image: undefined,
        domain: undefined,
        alertEmail: undefined,
        logRetentionDays: 30,
        aws: { region: "us-east-1", vpcCidr: "10.40.0.0/16", azCount: 2, natStrategy: "single" },
        gcp: {
          project: "",
          region: "",
          subnetCidr: "10.60.0.0/20",
          privateServicesCidr: "10.61.0.0/16",
          serverlessEgress: "direct",
          connectorCidr: "10.62.0.0/28",
          runtime: "cloudrun",
        },
        service: {
          cpu: 0.5,
          memoryMiB: 1024,
          minInstances: 1,
          maxInstances: 2,
          spot: false,
          concurrency: 80,
          otelCollector: false,
          otelCollectorImage: undefined,
        },
        database: {
          postgresVersion: "16",
          instanceClass: "db.t4g.micro",
          tier: "db-custom-1-3840",
          storageGb: 20,
          maxStorageGb: 100,
          highAvailability: false,
          proxy: false,
          backupRetentionDays: 7,
          deletionProtection: false,
        },
        cache: { nodeType: "cache.t4g.micro", memoryGb: 1, replicas: 0 },
        job: { schedule: "15 3 * * *", name: "refresh-category-counts" },
        awsExtras: { hostedZoneId: undefined, backupRetentionDays: 0, buildImage: false },
        gcpExtras: { adaptiveProtection: false },
        wafRateLimit: 2000,
        webhooks: { whatsapp: false, telegram: false, whatsappAppSecret: undefined },
      });
    });

    it("gcp dev: cloud-aware sizing that Cloud Run accepts (1 vCPU, 1024 MiB); aws.region is empty", () => {
      const c = parse(GCP);
      assert.equal(c.cloud, "gcp");
      assert.deepEqual(c.gcp, {
        project: "meridian-dev-4821",
        region: "us-central1",
        subnetCidr: "10.60.0.0/20",
        privateServicesCidr: "10.61.0.0/16",
        serverlessEgress: "direct",
        connectorCidr: "10.62.0.0/28",
        runtime: "cloudrun",
      });
      assert.deepEqual(c.service, {
        cpu: 1,
        memoryMiB: 1024,
        minInstances: 1,
        maxInstances: 2,
        spot: false,
        concurrency: 80,
        otelCollector: false,
        otelCollectorImage: undefined,
      });
      assert.equal(c.aws.region, "");
      assert.deepEqual(c.cache, { nodeType: "cache.t4g.micro", memoryGb: 1, replicas: 0 });
    });

    it("stack prod: prod profile and prod defaults", () => {
      const c = parse(AWS, "prod");
      assert.equal(c.profile, "prod");
      assert.equal(c.baseName, "meridian-prod");
      assert.equal(c.tags.environment, "prod");
      assert.equal(c.logRetentionDays, 90);
      assert.deepEqual(c.aws, {
        region: "us-east-1",
        vpcCidr: "10.40.0.0/16",
        azCount: 3,
        natStrategy: "perAz",
      });
      assert.deepEqual(c.service, {
        cpu: 1,
        memoryMiB: 2048,
        minInstances: 2,
        maxInstances: 10,
        spot: false,
        concurrency: 80,
        otelCollector: false,
        otelCollectorImage: undefined,
      });
      assert.deepEqual(c.database, {
        postgresVersion: "16",
        instanceClass: "db.m7g.large",
        tier: "db-custom-2-7680",
        storageGb: 100,
        maxStorageGb: 1000,
        highAvailability: true,
        proxy: true,
        backupRetentionDays: 14,
        deletionProtection: true,
      });
      assert.deepEqual(c.cache, { nodeType: "cache.m7g.large", memoryGb: 5, replicas: 1 });
      assert.deepEqual([parse(GCP, "prod").service.cpu, parse(GCP, "prod").service.memoryMiB], [1, 2048]);
    });

    it("the defaults pass every rule, for each profile and cloud", () => {
      for (const stack of ["dev", "prod"]) {
        for (const values of [AWS, GCP]) assert.doesNotThrow(() => parse(values, stack), `${stack}`);
      }
    });

    it("profile: from the stack name unless meridian:profile says otherwise", () => {
      for (const s of ["prod", "prod-eu", "production", "production-eu"])
        assert.equal(profileFromStack(s), "prod", s);
      for (const s of ["dev", "staging", "products", "preprod", "dev-prod"])
        assert.equal(profileFromStack(s), "dev", s);
      const staging = parse({ ...AWS, "meridian:profile": "prod" }, "staging");
      assert.deepEqual(
        [staging.profile, staging.aws.natStrategy, staging.baseName],
        ["prod", "perAz", "meridian-staging"],
      );
      assert.equal(parse({ ...AWS, "meridian:profile": "dev" }, "prod").database.deletionProtection, false);
      assert.match(
        onlyProblem({ ...AWS, "meridian:profile": "production" }, "meridian:profile"),
        /allowed: dev, prod/,
      );
    });

    it("set values override the defaults and are parsed to their types", () => {
      const c = parse({
        ...AWS,
        "meridian:appName": "shop-api",
        "meridian:owner": "team-payments",
        "meridian:costCenter": "CC-1234",
        "meridian:cpu": "2",
        "meridian:memoryMiB": "4096",
        "meridian:minInstances": "0",
        "meridian:maxInstances": "100",
        "meridian:spot": "true",
        "meridian:dbHighAvailability": "true",
        "meridian:postgresVersion": "17",
        "meridian:natStrategy": "none",
        "meridian:vpcCidr": "172.16.0.0/22",
        "meridian:domain": "api.example.com",
        "meridian:alertEmail": "ops+alerts@example.com",
        "meridian:image": "ghcr.io/acme/api:1.4.2",
      });
      assert.deepEqual([c.appName, c.baseName, c.tags.app], ["shop-api", "shop-api-dev", "shop-api"]);
      assert.deepEqual([c.tags.owner, c.tags.costCenter], ["team-payments", "CC-1234"]);
      assert.deepEqual(c.service, {
        cpu: 2,
        memoryMiB: 4096,
        minInstances: 0,
        maxInstances: 100,
        spot: true,
        concurrency: 80,
        otelCollector: false,
        otelCollectorImage: undefined,
      });
      assert.deepEqual([c.database.highAvailability, c.database.postgresVersion], [true, "17"]);
      assert.deepEqual([c.aws.natStrategy, c.aws.vpcCidr], ["none", "172.16.0.0/22"]);
      assert.deepEqual(
        [c.domain, c.alertEmail, c.image],
        ["api.example.com", "ops+alerts@example.com", "ghcr.io/acme/api:1.4.2"],
      );
    });

    it("appName: the project name by default; 1-20 characters", () => {
      assert.equal(parseConfig({ project: "acme", stack: "dev", values: AWS }).baseName, "acme-dev");
      assert.equal(parse({ ...AWS, "meridian:appName": "a" }).appName, "a");
      assert.equal(parse({ ...AWS, "meridian:appName": "a".repeat(20) }).appName.length, 20);
      for (const bad of ["a".repeat(21), "Shop", "1shop", "shop-", "shop_api", ""]) {
        reject({ ...AWS, "meridian:appName": bad });
      }
      const err = (() => {
        try {
          parseConfig({ project: "My_Project", stack: "dev", values: AWS });
        } catch (e) {
          return e as ConfigError;
        }
        return assert.fail("expected a ConfigError");
      })();
      const p = problem(err, "meridian:appName");
      assert.equal(p.value, "My_Project");
      assert.match(p.message, /project name is not a valid app name.*set meridian:appName/);
    });

    it("the result is deeply frozen", () => {
      const c = parse(AWS);
      assert.ok(Object.isFrozen(c) && Object.isFrozen(c.service) && Object.isFrozen(c.tags));
      assert.throws(() => ((c.service as { cpu: number }).cpu = 4), TypeError);
    });

    it("a prod image pinned by digest is accepted; in dev a tag (even :latest) is fine", () => {
      for (const image of [`ghcr.io/acme/api@sha256:${DIGEST}`, `ghcr.io/acme/api:1.2@sha256:${DIGEST}`]) {
        assert.equal(parse({ ...AWS, "meridian:image": image }, "prod").image, image);
      }
      for (const image of [
        "ghcr.io/acme/api:latest",
        "ghcr.io/acme/api",
        "nginx",
        "localhost:5000/api:dev",
      ]) {
        assert.equal(parse({ ...AWS, "meridian:image": image }).image, image);
      }
    });

    it("keys of other namespaces are left alone", () => {
      assert.doesNotThrow(() =>
        parse({ ...AWS, "aws:profile": "sandbox", "foo:bar": "x", "pulumi:tags": "{}" }),
      );
    });
  });

  describe("errors", () => {
    it('meridian:cloud = "azure" names the allowed clouds, in the documented line format', () => {
      const err = reject({ ...AWS, "meridian:cloud": "azure" });
      assert.equal(err.problems.length, 1, err.message);
      assert.deepEqual(err.problems[0], {
        key: "meridian:cloud",
        value: "azure",
        message: "not a supported cloud; allowed: aws, gcp",
      });
      assert.ok(
        err.message
          .split("\n")
          .includes('  meridian:cloud = "azure": not a supported cloud; allowed: aws, gcp'),
        err.message,
      );
    });

    it("meridian:cloud is required (not set, or empty)", () => {
      for (const values of [
        { "aws:region": "us-east-1" } as Record<string, string>,
        { "meridian:cloud": "", "aws:region": "us-east-1" },
      ]) {
        const err = reject(values);
        assert.equal(err.problems.length, 1, err.message);
        assert.match(problem(err, "meridian:cloud").message, /is required; allowed: aws, gcp/);
      }
      assert.match(reject({}).message, /meridian:cloud = \(not set\): is required/);
    });

    it("reports every problem at once: header with the count, one line per problem, a fix hint", () => {
      const err = reject(
        {
          ...AWS,
          "meridian:vpcCidr": "10.40.1.0/16",
          "meridian:natStrategy": "double",
          "meridian:azCount": "7",
          "meridian:minInstances": "5",
          "meridian:maxInstances": "3",
          "meridian:image": "ghcr.io/acme/api:latest",
          "meridian:dbDeletionProtection": "false",
        },
        "prod",
      );
      const keys = ["vpcCidr", "natStrategy", "azCount", "minInstances", "image", "dbDeletionProtection"];
      assert.equal(err.problems.length, keys.length, err.message);
      for (const key of keys) assert.equal(problem(err, `meridian:${key}`).key, `meridian:${key}`);
      const lines = err.message.split("\n");
      assert.equal(lines[0], `Invalid configuration for stack "prod" (${keys.length} problems):`);
      assert.equal(lines.length, keys.length + 2);
      for (const key of keys)
        assert.ok(
          lines.some((l) => l.startsWith(`  meridian:${key} = "`)),
          key,
        );
      assert.match(lines[lines.length - 1], /pulumi config set <key> <value>.*Pulumi\.prod\.yaml/);
      assert.match(problem(err, "meridian:natStrategy").message, /allowed: none, single, perAz/);
      assert.match(problem(err, "meridian:azCount").message, /between 2 and 4/);
    });

    it("ConfigError is a pulumi.RunError (printed without a stack trace) and carries the problems", () => {
      const err = reject({});
      assert.ok(err instanceof pulumi.RunError);
      assert.ok(pulumi.RunError.isInstance(err));
      assert.equal(err.name, "ConfigError");
      assert.equal(err.stackName, "dev");
      assert.ok(err.problems.length > 0);
    });

    it("formatProblems: singular header, (not set), [secret], and a generic hint without a stack", () => {
      const text = formatProblems([{ key: "meridian:cloud", value: undefined, message: "is required" }]);
      assert.deepEqual(text.split("\n").slice(0, 2), [
        "Invalid configuration (1 problem):",
        "  meridian:cloud = (not set): is required",
      ]);
      assert.match(text, /Pulumi\.<stack>\.yaml/);
      assert.match(
        formatProblems([{ key: "meridian:x", value: "[secret]", message: "bad", secret: true }], "dev"),
        /^ {2}meridian:x = \[secret\]: bad$/m,
      );
    });

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

    describe("image", () => {
      const prodImage = (image: string) =>
        onlyProblem({ ...AWS, "meridian:image": image }, "meridian:image", "prod");

      it("prod: a tag is rejected with how to get and set the digest", () => {
        const msg = prodImage("ghcr.io/acme/api:v1.2");
        assert.match(msg, /pinned by digest/);
        assert.match(msg, /docker buildx imagetools inspect/);
        assert.match(msg, /crane digest/);
        assert.match(msg, /set meridian:image to ghcr\.io\/acme\/api@sha256:<digest>/);
      });

      it("prod: :latest and untagged images are rejected", () => {
        assert.match(prodImage("ghcr.io/acme/api:latest"), /:latest.*pinned by digest/);
        assert.match(prodImage("api"), /:latest \(or untagged\).*set meridian:image to api@sha256:<digest>/);
      });

      it("invalid references are rejected in any profile", () => {
        for (const bad of [
          "ghcr.io/Acme/API:v1",
          `ghcr.io/acme/api@sha256:${DIGEST.toUpperCase()}`,
          "ghcr.io/acme/api@sha256:abc",
          "ghcr.io/acme/api:-bad",
          "ghcr.io/acme/api:v1 ",
          "ghcr.io/acme//api",
          "",
        ]) {
          assert.match(
            onlyProblem({ ...AWS, "meridian:image": bad }, "meridian:image"),
            /not a valid image reference|is empty/,
            JSON.stringify(bad),
          );
        }
      });

      it("parseImageReference and isDigestPinned", () => {
        assert.deepEqual(parseImageReference(`localhost:5000/team/api:1.0@sha256:${DIGEST}`), {
          registry: "localhost:5000",
          repository: "team/api",
          tag: "1.0",
          digest: `sha256:${DIGEST}`,
        });
        assert.deepEqual(parseImageReference("library/nginx"), {
          registry: undefined,
          repository: "library/nginx",
          tag: undefined,
          digest: undefined,
        });
        assert.equal(typeof parseImageReference("Library/nginx"), "string");
        assert.ok(isDigestPinned(`repo@sha256:${DIGEST}`));
        assert.ok(isDigestPinned(`repo:tag@sha256:${DIGEST}`));
        assert.ok(!isDigestPinned("repo:latest"));
        assert.ok(!isDigestPinned(`repo@sha256:${DIGEST.slice(1)}`));
      });
    });

    describe("service sizing", () => {
      it("minInstances > maxInstances: one problem naming both keys and both values", () => {
        const err = reject({ ...AWS, "meridian:minInstances": "5", "meridian:maxInstances": "3" });
        assert.equal(err.problems.length, 1, err.message);
        assert.match(
          err.message,
          /meridian:minInstances = "5": is greater than meridian:maxInstances = "3"; minInstances must be <= maxInstances/,
        );
        // Boundaries: equal is fine, one more is not.
        assert.equal(
          parse({ ...AWS, "meridian:minInstances": "3", "meridian:maxInstances": "3" }).service.minInstances,
          3,
        );
        reject({ ...AWS, "meridian:minInstances": "3", "meridian:maxInstances": "2" });
      });

      it("Fargate: invalid CPU, or memory that does not fit the CPU", () => {
        const mem = (cpu: string, memory: string) =>
          onlyProblem({ ...AWS, "meridian:cpu": cpu, "meridian:memoryMiB": memory }, "meridian:memoryMiB");
        assert.match(
          mem("1", "1024"),
          /Fargate with meridian:cpu = "1" allows 2048-8192 MiB in steps of 1024/,
        );
        assert.match(mem("0.25", "4096"), /allows 512, 1024, 2048 MiB/);
        assert.match(mem("8", "20000"), /16384-61440 MiB in steps of 4096/);
        assert.match(
          onlyProblem({ ...AWS, "meridian:cpu": "3" }, "meridian:cpu"),
          /Fargate runs 0\.25, 0\.5, 1, 2, 4, 8 or 16 vCPU/,
        );
        for (const [cpu, memory] of [
          ["0.25", "512"],
          ["4", "30720"],
          ["16", "122880"],
          ["8", "61440"],
        ]) {
          assert.doesNotThrow(
            () => parse({ ...AWS, "meridian:cpu": cpu, "meridian:memoryMiB": memory }),
            `${cpu}/${memory}`,
          );
        }
      });

      it("Cloud Run: fractional CPU rejected (concurrency 1); memory range per CPU", () => {
        assert.match(
          onlyProblem({ ...GCP, "meridian:cpu": "0.5" }, "meridian:cpu"),
          /concurrency 1.*allowed: 1, 2, 4, 6, 8/,
        );
        assert.match(
          onlyProblem({ ...GCP, "meridian:cpu": "3" }, "meridian:cpu"),
          /Cloud Run runs 1, 2, 4, 6 or 8 vCPU/,
        );
        const mem = (cpu: string, memory: string) =>
          onlyProblem({ ...GCP, "meridian:cpu": cpu, "meridian:memoryMiB": memory }, "meridian:memoryMiB");
        assert.match(mem("4", "1024"), /Cloud Run with meridian:cpu = "4" allows 2048-16384 MiB/);
        assert.match(mem("6", "2048"), /allows 4096-24576 MiB/);
        assert.match(mem("1", "8192"), /allows 512-4096 MiB/);
        for (const [cpu, memory] of [
          ["1", "512"],
          ["4", "4096"],
          ["8", "32768"],
        ]) {
          assert.equal(
            parse({ ...GCP, "meridian:cpu": cpu, "meridian:memoryMiB": memory }).service.memoryMiB,
            Number(memory),
          );
        }
      });

      it("spot: fine on AWS, an error on GCP", () => {
        assert.equal(parse({ ...AWS, "meridian:spot": "true" }).service.spot, true);
        assert.equal(
          onlyProblem({ ...GCP, "meridian:spot": "true" }, "meridian:spot"),
          "Cloud Run has no spot capacity; remove meridian:spot",
        );
        assert.equal(parse({ ...GCP, "meridian:spot": "false" }).service.spot, false);
      });

      it("webhooks: WhatsApp needs Meta's app secret as a Pulumi secret, never echoed", () => {
        const secretKey = "meridian:whatsappAppSecret";
        const ok = parse({ ...AWS, "meridian:webhooks": "whatsapp,telegram", [secretKey]: "s3cr3t" }, "dev", [
          secretKey,
        ]);
        assert.deepEqual(ok.webhooks, { whatsapp: true, telegram: true, whatsappAppSecret: "s3cr3t" });
        assert.deepEqual(parse(AWS).webhooks, {
          whatsapp: false,
          telegram: false,
          whatsappAppSecret: undefined,
        });
        assert.match(
          onlyProblem({ ...GCP, "meridian:webhooks": "whatsapp" }, secretKey),
          /required when meridian:webhooks includes whatsapp/,
        );
        const plain = reject({ ...AWS, "meridian:webhooks": "whatsapp", [secretKey]: "plain-value-123" });
        assert.match(plain.message, /whatsappAppSecret = \[secret\]: holds a credential in plain text/);
        assert.doesNotMatch(plain.message, /plain-value-123/);
        assert.match(onlyProblem({ ...AWS, "meridian:webhooks": "slack" }, "meridian:webhooks"), /allowed/);
      });

      it("buildImage: AWS only, and not together with meridian:image", () => {
        assert.equal(parse({ ...AWS, "meridian:buildImage": "true" }).awsExtras.buildImage, true);
        assert.equal(parse(AWS).awsExtras.buildImage, false);
        assert.match(
          onlyProblem({ ...GCP, "meridian:buildImage": "true" }, "meridian:buildImage"),
          /supported on AWS only; on GCP push with the delivery workflow or Cloud Build/,
        );
        assert.match(
          onlyProblem(
            { ...AWS, "meridian:buildImage": "true", "meridian:image": `r/api@sha256:${DIGEST}` },
            "meridian:buildImage",
          ),
          /choose one/,
        );
        assert.match(
          onlyProblem({ ...AWS, "meridian:buildImage": "yes" }, "meridian:buildImage"),
          /true or false/,
        );
      });

      it("ranges of instance counts", () => {
        assert.match(
          onlyProblem({ ...AWS, "meridian:maxInstances": "101" }, "meridian:maxInstances"),
          /between 1 and 100/,
        );
        assert.match(
          onlyProblem(
            { ...AWS, "meridian:maxInstances": "0", "meridian:minInstances": "0" },
            "meridian:maxInstances",
          ),
          /between 1 and 100/,
        );
        assert.match(
          onlyProblem({ ...AWS, "meridian:minInstances": "-1" }, "meridian:minInstances"),
          /between 0 and 100/,
        );
      });
    });

    describe("typed values", () => {
      it("booleans accept only true and false", () => {
        for (const bad of ["yes", "True", "1", ""]) {
          assert.equal(
            onlyProblem({ ...AWS, "meridian:spot": bad }, "meridian:spot"),
            "expected true or false",
            bad,
          );
        }
      });

      it("integers accept only decimal integers", () => {
        for (const bad of ["2.5", "", "abc", "1e3", " 2", "0x2", "NaN"]) {
          assert.match(
            onlyProblem({ ...AWS, "meridian:azCount": bad }, "meridian:azCount"),
            /expected an integer/,
            bad,
          );
        }
        assert.match(
          onlyProblem({ ...GCP, "meridian:cacheMemoryGb": "1.5" }, "meridian:cacheMemoryGb"),
          /expected an integer/,
        );
        assert.equal(parse({ ...AWS, "meridian:azCount": "4" }).aws.azCount, 4);
        assert.match(
          onlyProblem({ ...AWS, "meridian:azCount": "9007199254740993" }, "meridian:azCount"),
          /expected an integer/,
        );
      });

      it("numbers reject NaN and other non-decimal text", () => {
        for (const bad of ["abc", "NaN", "", "Infinity", "0x1", "1e0", "1,5"]) {
          assert.match(
            onlyProblem({ ...AWS, "meridian:cpu": bad }, "meridian:cpu"),
            /expected a number/,
            bad,
          );
        }
        assert.equal(parse({ ...AWS, "meridian:cpu": ".5" }).service.cpu, 0.5);
      });

      it("enumerations, patterns and ranges", () => {
        const cases: [string, string, RegExp][] = [
          ["serverlessEgress", "vpc", /allowed: direct, connector/],
          ["postgresVersion", "15", /allowed: 16, 17/],
          ["dbInstanceClass", "t4g.micro", /an RDS instance class like db\.t4g\.micro/],
          ["dbTier", "db-n1-standard-1", /allowed: "db-custom-<vCPUs>-<MiB>"/],
          ["dbTier", "db-custom-3-3840", /3 vCPUs; allowed: 1 or an even number from 2 to 96/],
          ["dbTier", "db-custom-1-1024", /1024 MiB; allowed: a multiple of 256 MiB, at least 3840/],
          ["cacheNodeType", "m7g.large", /an ElastiCache node type/],
          ["azCount", "1", /between 2 and 4/],
          ["dbStorageGb", "10", /between 20 and 65536/],
          ["dbBackupRetentionDays", "36", /between 1 and 35/],
          ["cacheMemoryGb", "301", /between 1 and 300/],
          ["cacheReplicas", "6", /between 0 and 5/],
          ["logRetentionDays", "45", /allowed: 1, 3, 5, 7, 14, 30, 60, 90/],
        ];
        for (const [key, value, expected] of cases) {
          const base = ["dbTier", "cacheMemoryGb", "serverlessEgress"].includes(key) ? GCP : AWS;
          assert.match(
            onlyProblem({ ...base, [`meridian:${key}`]: value }, `meridian:${key}`),
            expected,
            key,
          );
        }
        assert.doesNotThrow(() => parse({ ...GCP, "meridian:dbTier": "db-perf-optimized-N-4" }));
      });

      it("dbMaxStorageGb must be >= dbStorageGb", () => {
        assert.match(
          onlyProblem(
            { ...AWS, "meridian:dbStorageGb": "200", "meridian:dbMaxStorageGb": "100" },
            "meridian:dbMaxStorageGb",
          ),
          /is less than meridian:dbStorageGb = "200"/,
        );
      });

      it("empty strings and non-ASCII tag values", () => {
        assert.match(onlyProblem({ ...AWS, "meridian:owner": "" }, "meridian:owner"), /is empty/);
        assert.match(onlyProblem({ ...AWS, "meridian:owner": "plätform" }, "meridian:owner"), /ASCII/);
        assert.match(
          onlyProblem({ ...AWS, "meridian:costCenter": "c".repeat(64) }, "meridian:costCenter"),
          /at most 63/,
        );
      });
    });

    it("prod safety rules", () => {
      const err = reject(
        {
          ...AWS,
          "meridian:minInstances": "1",
          "meridian:dbDeletionProtection": "false",
          "meridian:dbBackupRetentionDays": "3",
          "meridian:cacheReplicas": "0",
          "meridian:logRetentionDays": "14",
        },
        "prod",
      );
      assert.equal(err.problems.length, 5, err.message);
      assert.match(problem(err, "meridian:minInstances").message, /at least 2 in prod/);
      assert.match(problem(err, "meridian:dbDeletionProtection").message, /must be true in prod/);
      assert.match(problem(err, "meridian:dbBackupRetentionDays").message, /at least 7 in prod/);
      assert.match(problem(err, "meridian:cacheReplicas").message, /at least 1 in prod/);
      assert.match(problem(err, "meridian:logRetentionDays").message, /at least 30 in prod/);
      // The same values are fine in dev.
      assert.doesNotThrow(() =>
        parse({
          ...AWS,
          "meridian:minInstances": "1",
          "meridian:dbBackupRetentionDays": "3",
          "meridian:logRetentionDays": "14",
        }),
      );
      // natStrategy is not restricted by the profile (the policy pack judges it).
      assert.equal(parse({ ...AWS, "meridian:natStrategy": "single" }, "prod").aws.natStrategy, "single");
    });

    it("logRetentionDays above Cloud Logging's 3650-day maximum is rejected on GCP only", () => {
      assert.match(
        onlyProblem({ ...GCP, "meridian:logRetentionDays": "3653" }, "meridian:logRetentionDays"),
        /at most 3650/,
      );
      assert.equal(parse({ ...AWS, "meridian:logRetentionDays": "3653" }).logRetentionDays, 3653);
    });

    it("an unknown meridian key suggests the closest known key", () => {
      assert.match(
        onlyProblem({ ...AWS, "meridian:natStrategi": "single" }, "meridian:natStrategi"),
        /unknown key; did you mean meridian:natStrategy\?/,
      );
      assert.match(
        onlyProblem({ ...AWS, "meridian:NatStrategy": "single" }, "meridian:NatStrategy"),
        /did you mean meridian:natStrategy\?/,
      );
      assert.match(
        onlyProblem({ ...AWS, "meridian:memoryMb": "1024" }, "meridian:memoryMb"),
        /did you mean meridian:memoryMiB\?/,
      );
      const unrelated = onlyProblem(
        { ...AWS, "meridian:kubernetesVersion": "1.31" },
        "meridian:kubernetesVersion",
      );
      assert.doesNotMatch(unrelated, /did you mean/);
      assert.match(unrelated, /pulumi config rm meridian:kubernetesVersion/);
      assert.match(onlyProblem({ ...AWS, "meridian:toString": "x" }, "meridian:toString"), /unknown key/);
    });

    describe("secrets", () => {
      it("a secret value is printed as [secret] and not kept in the problem", () => {
        const err = reject({ ...AWS, "meridian:alertEmail": "hunter2" }, "dev", ["meridian:alertEmail"]);
        assert.match(err.message, /^ {2}meridian:alertEmail = \[secret\]: not an email address/m);
        assert.doesNotMatch(err.message, /hunter2/);
        assert.deepEqual(problem(err, "meridian:alertEmail"), {
          key: "meridian:alertEmail",
          value: "[secret]",
          message: "not an email address like ops@example.com",
          secret: true,
        });
      });

      it("no suggestion and no cross-key message reveals a secret value", () => {
        const domain = reject({ ...AWS, "meridian:domain": "Api.Hidden.Example" }, "dev", [
          "meridian:domain",
        ]);
        assert.doesNotMatch(domain.message, /hidden/i);
        const sizes = reject({ ...AWS, "meridian:minInstances": "5", "meridian:maxInstances": "3" }, "dev", [
          "meridian:maxInstances",
        ]);
        assert.match(sizes.message, /greater than meridian:maxInstances = \[secret\]/);
        const unknown = reject({ ...AWS, "meridian:tokn": "s3cr3t" }, "dev", ["meridian:tokn"]);
        assert.doesNotMatch(unknown.message, /s3cr3t/);
      });
    });

    describe("provider keys", () => {
      it("cloud=aws requires aws:region, and it must look like a region", () => {
        assert.match(
          onlyProblem({ "meridian:cloud": "aws" }, "aws:region"),
          /is required when meridian:cloud is aws/,
        );
        assert.match(onlyProblem({ "meridian:cloud": "aws", "aws:region": "" }, "aws:region"), /is required/);
        assert.match(
          onlyProblem({ ...AWS, "aws:region": "virginia" }, "aws:region"),
          /not an AWS region like us-east-1/,
        );
        assert.equal(parse({ ...AWS, "aws:region": "us-gov-west-1" }).aws.region, "us-gov-west-1");
      });

      it("cloud=gcp requires gcp:project and gcp:region", () => {
        const err = reject({ "meridian:cloud": "gcp" });
        assert.equal(err.problems.length, 2, err.message);
        assert.match(problem(err, "gcp:project").message, /is required when meridian:cloud is gcp/);
        assert.match(problem(err, "gcp:region").message, /is required when meridian:cloud is gcp/);
        assert.match(
          onlyProblem({ ...GCP, "gcp:project": "My Project" }, "gcp:project"),
          /not a GCP project id/,
        );
        assert.match(onlyProblem({ ...GCP, "gcp:project": "short" }, "gcp:project"), /not a GCP project id/);
        assert.match(onlyProblem({ ...GCP, "gcp:region": "us-central" }, "gcp:region"), /not a GCP region/);
      });

      it("the other cloud's provider keys are optional but checked when present", () => {
        assert.equal(parse({ ...AWS, "gcp:project": "meridian-dev-4821" }).gcp.project, "meridian-dev-4821");
        assert.match(onlyProblem({ ...AWS, "gcp:region": "central" }, "gcp:region"), /not a GCP region/);
        assert.match(onlyProblem({ ...GCP, "aws:region": "US-EAST-1" }, "aws:region"), /not an AWS region/);
      });
    });

    describe("the scheduled job", () => {
      it("accepts 5-field crons and normalises spacing", () => {
        assert.equal(parse(AWS).job.schedule, "15 3 * * *");
        assert.equal(
          parse({ ...AWS, "meridian:jobSchedule": " */15  8-18 * * 1-5 " }).job.schedule,
          "*/15 8-18 * * 1-5",
        );
        assert.equal(parse(AWS).job.name, "refresh-category-counts");
      });

      it("names the field that is wrong and what is allowed", () => {
        const cron = (v: string) =>
          onlyProblem({ ...AWS, "meridian:jobSchedule": v }, "meridian:jobSchedule");
        assert.match(cron("15 3 * *"), /a 5-field cron/);
        assert.match(cron("60 3 * * *"), /minute field "60" is not valid; allowed: \*, 0-59/);
        assert.match(cron("0 24 * * *"), /hour field "24"/);
        assert.match(cron("0 3 0 * *"), /day-of-month field "0"/);
        assert.match(cron("0 3 * * MON"), /day-of-week field "MON"/);
        assert.match(cron("*/0 3 * * *"), /minute field "\*\/0"/);
        assert.match(onlyProblem({ ...AWS, "meridian:jobName": "Refresh" }, "meridian:jobName"), /lowercase/);
      });

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
        assert.equal(dev.service.otelCollector, false);
        assert.equal(dev.wafRateLimit, 2000);
        const prod = parse(stackValues("prod", "aws"), "prod");
        assert.equal(prod.service.otelCollector, false);
        assert.ok(prod.awsExtras.backupRetentionDays >= 7);
      });

      it("GCP data stores: replicas need 5 GB, 7+ days of backups, no shared-core tier in prod (all at once)", () => {
        const e = reject({
          ...GCP,
          "meridian:cacheReplicas": "1",
          "meridian:dbBackupRetentionDays": "3",
        }).problems;
        assert.deepEqual(e.map((p) => p.key).sort(), [
          "meridian:cacheMemoryGb",
          "meridian:dbBackupRetentionDays",
        ]);
        assert.match(e.find((p) => p.key === "meridian:cacheMemoryGb")!.message, /at least 5 GB/);
        assert.match(e.find((p) => p.key === "meridian:dbBackupRetentionDays")!.message, /at least 7 days/);
        assert.equal(
          parse({ ...GCP, "meridian:cacheReplicas": "1", "meridian:cacheMemoryGb": "5" }).cache.replicas,
          1,
        );
        assert.equal(
          parse({ ...AWS, "meridian:dbBackupRetentionDays": "3" }).database.backupRetentionDays,
          3,
        );
        assert.match(
          onlyProblem(
            { ...stackValues("prod", "gcp"), "meridian:dbTier": "db-f1-micro" },
            "meridian:dbTier",
            "prod",
          ),
          /shared-core tiers .* no SLA/,
        );
        assert.equal(parse({ ...GCP, "meridian:dbTier": "db-g1-small" }).database.tier, "db-g1-small");
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

    describe("domain and email", () => {
      const domain = (d: string) => onlyProblem({ ...AWS, "meridian:domain": d }, "meridian:domain");

      it("a non-ASCII domain is rejected, suggesting its punycode form", () => {
        const ascii = domainToASCII("api.añil.do");
        assert.match(ascii, /^api\.xn--/);
        assert.equal(
          domain("api.añil.do"),
          `contains non-ASCII characters: write an international name in its punycode (xn--) form; did you mean ${ascii}?`,
        );
        assert.equal(parse({ ...AWS, "meridian:domain": ascii }).domain, ascii);
      });

      it("other invalid names", () => {
        assert.match(domain("API.example.com"), /must be lowercase; did you mean api\.example\.com\?/);
        assert.match(domain("localhost"), /at least two labels/);
        assert.match(domain("api.example.com."), /trailing dot; did you mean api\.example\.com\?/);
        assert.match(domain("https://api.example.com"), /without scheme or path/);
        assert.match(domain("10.0.0.1"), /IP address/);
        assert.match(domain("-api.example.com"), /hyphen/);
        assert.match(domain(`${"a".repeat(64)}.example.com`), /63 characters/);
        assert.match(domain(`${"a.".repeat(127)}com`), /253 characters/);
      });

      it("alert email", () => {
        for (const bad of [
          "ops",
          "ops@",
          "@example.com",
          "o ps@example.com",
          "ops@localhost",
          "ops@exa_mple.com",
        ]) {
          assert.match(
            onlyProblem({ ...AWS, "meridian:alertEmail": bad }, "meridian:alertEmail"),
            /not an email address/,
            bad,
          );
        }
        assert.equal(
          parse({ ...AWS, "meridian:alertEmail": "Ops.Team@Example.com" }).alertEmail,
          "Ops.Team@Example.com",
        );
      });
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

  describe("the key table, Pulumi.yaml and the stack files", () => {
    const profiles: Profile[] = ["dev", "prod"];
    const clouds: Cloud[] = ["aws", "gcp"];

    it("every key has a description; enum defaults are allowed values; kinds match defaults", () => {
      for (const [key, def] of Object.entries(KNOWN_KEYS)) {
        assert.ok(def.description.length > 20, key);
        for (const p of profiles) {
          for (const c of clouds) {
            const d = defaultFor(def, p, c);
            if (d === undefined) continue;
            const expected = def.kind === "integer" || def.kind === "number" ? "number" : def.kind;
            assert.equal(typeof d, expected, `${key} default (${p}/${c})`);
            if (def.allowed) assert.ok(def.allowed.includes(String(d)), `${key}: default ${d} not allowed`);
          }
        }
      }
      assert.match(KNOWN_KEYS.azCount.description, /Range 2-4\./);
      assert.match(KNOWN_KEYS.minInstances.description, /prod: at least 2\./);
      assert.match(
        KNOWN_KEYS.connectorCidr.description,
        /exactly \/28.*Checked only when serverlessEgress is connector/,
      );
    });

    it("Pulumi.yaml declares cloud (required) and only profile-independent keys, with the table's defaults", () => {
      const project = projectFile();
      assert.equal(project.name, "meridian");
      assert.equal(project.main, "infra/index.ts");
      const declared = project.config;
      assert.ok(
        declared.cloud && declared.cloud.default === undefined,
        "cloud must be declared without a default",
      );
      for (const [key, decl] of Object.entries(declared)) {
        assert.ok(!key.includes(":"), `${key}: project keys are declared without the namespace`);
        assert.ok(key in KNOWN_KEYS, `${key} is not a known key`);
        const def = KNOWN_KEYS[key as KeyName];
        const type = def.kind === "number" ? "string" : def.kind;
        assert.equal(decl.type, type, `${key}: type`);
        assert.ok(
          typeof decl.description === "string" && decl.description.length > 10,
          `${key}: description`,
        );
        if (key === "cloud") continue;
        assert.ok(
          decl.default !== undefined,
          `${key}: declared without a default would be required in every stack`,
        );
        const expected = key === "appName" ? "meridian" : defaultFor(def, "dev", undefined);
        assert.equal(decl.default, expected, `${key}: default`);
        if (key !== "appName") {
          for (const p of profiles)
            for (const c of clouds)
              assert.equal(defaultFor(def, p, c), expected, `${key} must not depend on profile/cloud`);
        }
      }
    });

    for (const stack of ["dev", "prod"] as const) {
      it(`Pulumi.${stack}.yaml is valid on both clouds, uses only known keys, and holds no secret or image`, () => {
        const text = fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
        assert.doesNotMatch(text, /secure:/);
        assert.doesNotMatch(text, /^\s*meridian:image:/m);
        for (const cloud of clouds) {
          const c = parse(stackValues(stack, cloud), stack);
          assert.equal(c.cloud, cloud);
          assert.equal(c.profile, stack);
          assert.equal(c.database.deletionProtection, stack === "prod");
          assert.equal(c.aws.natStrategy, stack === "prod" ? "perAz" : "single");
        }
        assert.equal(parse(stackValues(stack), stack).cloud, "aws");
      });
    }

    it("the stack files spell out the profile defaults they rely on", () => {
      for (const stack of ["dev", "prod"] as const) {
        const explicit = parse(stackValues(stack), stack);
        const defaults = parse(
          { ...AWS, "gcp:project": explicit.gcp.project, "gcp:region": "us-central1" },
          stack,
        );
        assert.deepEqual(
          { ...explicit, tags: undefined, domain: undefined, alertEmail: undefined },
          { ...defaults, tags: undefined },
          `Pulumi.${stack}.yaml differs from the ${stack} defaults`,
        );
      }
    });
  });
});

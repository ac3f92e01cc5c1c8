/**
 * The general keys (keys/general.ts): cloud and its provider keys, profile, appName, image, domain,
 * alertEmail. Pure.
 */
import { strict as assert } from "node:assert";
import { domainToASCII } from "node:url";
import { ConfigError, isDigestPinned, parseConfig, parseImageReference, profileFromStack } from "../index";
import { AWS, DIGEST, GCP, onlyProblem, parse, problem, reject } from "../testing";

describe("config", () => {
  describe("valid stacks and defaults", () => {
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
});

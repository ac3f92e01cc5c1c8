/**
 * The problems report (problems.ts): every problem at once in one ConfigError, its line format, secrets
 * redacted, and the "did you mean" of an unknown key. Pure.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { formatProblems } from "./index";
import { AWS, onlyProblem, problem, reject } from "./testing";

describe("config", () => {
  describe("errors", () => {
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
  });
});

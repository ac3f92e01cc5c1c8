/**
 * The service keys (keys/service.ts): CPU and memory per runtime, instance counts, spot, webhooks,
 * buildImage, the scheduled job's cron and name. Pure.
 */
import { strict as assert } from "node:assert";
import { AWS, DIGEST, GCP, onlyProblem, parse, reject } from "../testing";

describe("config", () => {
  describe("errors", () => {
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
    });
  });
});

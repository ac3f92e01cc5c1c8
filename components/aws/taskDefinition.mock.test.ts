// The AWS service's task definitions and containers (taskDefinition.ts, containers.ts, otelCollector.ts).
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { inputsOf } from "../../infra/offline/testing";
import {
  ACCOUNT,
  Built,
  DB_SECRET,
  DIGEST,
  IMAGE,
  PROD_LIKE,
  REDIS_SECRET,
  serviceSuite,
  T,
} from "./service.testkit";

const { build } = serviceSuite();

describe("aws Service: task definitions and containers (mocks)", () => {
  describe("internet ingress with a domain and a Route 53 zone (prod-like)", () => {
    let b: Built;
    const name = "api-prod";
    before(async () => {
      b = await build(name, PROD_LIKE);
    });

    it("runs the task definition on Fargate linux/amd64, awsvpc, with the requested size and distinct roles", () => {
      const td = inputsOf(b.byName("task"));
      assert.deepEqual(td.requiresCompatibilities, ["FARGATE"]);
      assert.equal(td.networkMode, "awsvpc");
      assert.deepEqual(td.runtimePlatform, { cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX" });
      assert.equal(td.cpu, "1024");
      assert.equal(td.memory, "2048");
      const task = b.byName("task-role");
      const exec = b.byName("execution-role");
      assert.equal(td.taskRoleArn, task.outputs.arn);
      assert.equal(td.executionRoleArn, exec.outputs.arn);
      assert.notEqual(td.taskRoleArn, td.executionRoleArn, "task role and execution role are distinct");
      assert.deepEqual(td.volumes, [{ name: "tmp" }]);
    });

    it("hardens the app container: non-root, read-only root fs with a writable /tmp, no privileges, ALL dropped", () => {
      for (const c of b.containers()) {
        assert.notEqual(c.user, undefined, `${c.name} has no user`);
        assert.ok(!/^(0|root)(:|$)/.test(c.user), `${c.name} runs as root`);
        assert.equal(c.readonlyRootFilesystem, true, `${c.name} root fs`);
        assert.equal(c.privileged, false, `${c.name} privileged`);
        assert.deepEqual(c.linuxParameters.capabilities.drop, ["ALL"]);
        assert.equal(c.linuxParameters.capabilities.add, undefined);
        assert.equal(c.logConfiguration.logDriver, "awslogs");
        assert.equal(c.logConfiguration.options["awslogs-group"], `/meridian/${name}/service`);
        assert.equal(c.logConfiguration.options["awslogs-region"], "us-east-1");
      }
      const app = b.containers()[0];
      assert.equal(app.name, "api");
      assert.equal(app.image, IMAGE);
      assert.equal(app.user, "1000:1000");
      assert.deepEqual(app.mountPoints, [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
      assert.deepEqual(app.portMappings, [{ containerPort: 8080, protocol: "tcp", name: "http" }]);
      assert.equal(app.stopTimeout, 30);
      assert.equal(app.essential, true);
      assert.match(app.healthCheck.command.join(" "), /http:\/\/127\.0\.0\.1:8080\/health\/live/);
    });

    it("injects secrets by reference (valueFrom) and never as plain environment values", () => {
      const app = b.containers()[0];
      assert.deepEqual(app.secrets, [
        { name: "DATABASE_URL", valueFrom: DB_SECRET },
        { name: "REDIS_URL", valueFrom: `${REDIS_SECRET}:url::` },
      ]);
      const env = Object.fromEntries(app.environment.map((e: any) => [e.name, e.value]));
      assert.deepEqual(env, {
        CORS_ORIGINS: "https://app.example.com",
        NODE_ENV: "production",
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4318",
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
        PORT: "8080",
      });
      const raw = inputsOf(b.byName("task")).containerDefinitions as string;
      for (const v of Object.values(env)) assert.ok(!/secret:/.test(v as string));
      assert.ok(!raw.includes('"DATABASE_URL","value"'));
    });

    it("runs the ADOT collector sidecar (pinned image) and orders the app after it", () => {
      const [app, otel] = b.containers();
      assert.equal(otel.name, "otel-collector");
      assert.match(otel.image, /^public\.ecr\.aws\/aws-observability\/aws-otel-collector:v\d+\.\d+\.\d+$/);
      assert.equal(otel.essential, false);
      const cfg = JSON.parse(otel.environment.find((e: any) => e.name === "AOT_CONFIG_CONTENT").value);
      assert.deepEqual(cfg.service.pipelines.traces.exporters, ["awsxray"]);
      assert.deepEqual(cfg.service.pipelines.metrics.exporters, ["awsemf"]);
      assert.equal(cfg.exporters.awsemf.namespace, "Meridian/Otel");
      assert.equal(cfg.receivers.otlp.protocols.http.endpoint, "127.0.0.1:4318");
      assert.deepEqual(app.dependsOn, [{ containerName: "otel-collector", condition: "START" }]);
    });

    it("adds a migrate task definition: same image, roles, secrets and logs, the migrate command", () => {
      const td = inputsOf(b.byName("migrate-task"));
      const main = inputsOf(b.byName("task"));
      assert.equal(td.taskRoleArn, main.taskRoleArn);
      assert.equal(td.executionRoleArn, main.executionRoleArn);
      const [c, ...rest] = b.containers("migrate-task");
      assert.deepEqual(rest, [], "no sidecar in the one-off task");
      assert.deepEqual(c.command, ["node", "dist/cli.js", "migrate"]);
      assert.equal(c.image, IMAGE);
      assert.deepEqual(c.secrets, b.containers()[0].secrets);
      assert.equal(c.readonlyRootFilesystem, true);
      assert.equal(c.logConfiguration.options["awslogs-group"], `/meridian/${name}/service`);
      assert.equal(c.logConfiguration.options["awslogs-stream-prefix"], "migrate");
    });
  });

  describe("other options", () => {
    it("a digest-pinned collector image replaces the default tag", async () => {
      const image = `public.ecr.aws/aws-observability/aws-otel-collector@${DIGEST}`;
      const b = await build("api-otel", {
        otelCollector: true,
        requireDigest: true,
        otelCollectorImage: image,
      });
      assert.equal(b.containers()[1].image, image);
    });

    it("an Output image is accepted and checked when it resolves", async () => {
      const b = await build("api-out", {
        image: pulumi.output(`${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/meridian-api:bootstrap`),
        minInstances: 0,
        maxInstances: 0,
      });
      assert.equal(
        b.containers()[0].image,
        `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/meridian-api:bootstrap`,
      );
      assert.equal(inputsOf(b.one(T.service)).desiredCount, 0);
    });
  });
});

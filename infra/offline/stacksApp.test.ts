/**
 * What Meridian's stacks give the app on both clouds: Redis and object storage, the client-IP trust model,
 * and the webhook secrets (meridian:webhooks) injected by reference from the cloud's secret store.
 */
import { strict as assert } from "node:assert";
import { preview } from "./test/cli";
import { Doc, graph } from "./test/stackGraphs";

describe("Meridian stacks through the offline engine", function () {
  this.timeout(180_000);

  it("the app gets what the workload needs on both clouds: Redis, the client-IP trust model, object storage", () => {
    for (const stack of ["dev", "prod"]) {
      const aws = graph(stack, "aws");
      const td = aws.resources.find(
        (x: Doc) => x.type === "aws:ecs/taskDefinition:TaskDefinition" && !x.name.includes("migrate"),
      );
      const api = JSON.parse(td.inputs.containerDefinitions)[0];
      const env = Object.fromEntries(api.environment.map((e: Doc) => [e.name, e.value]));
      const secrets = api.secrets.map((x: Doc) => x.name);
      assert.ok(secrets.includes("REDIS_URL"), `${stack}/aws: REDIS_URL from Secrets Manager`);
      assert.ok(!("REDIS_URL" in env), "never a plain value");
      // dev: CloudFront -> ALB (2 hops); prod with a domain: the ALB faces the internet (1 hop).
      assert.equal(env.SECURITY_TRUST_PROXY, stack === "prod" ? "1" : "2");
      assert.equal(env.STORAGE_BACKEND, "s3");
      const gcp = graph(stack, "gcp");
      const svc = gcp.resources.find((x: Doc) => x.type === "gcp:cloudrunv2/service:Service");
      const envs = svc.inputs.template.containers[0].envs;
      const value = (n: string) => envs.find((e: Doc) => e.name === n);
      assert.ok(value("REDIS_URL").valueSource.secretKeyRef, `${stack}/gcp: REDIS_URL from Secret Manager`);
      assert.ok(value("REDIS_CA_FILE").value);
      assert.equal(value("SECURITY_TRUST_PROXY").value, "google");
      assert.equal(value("STORAGE_BACKEND").value, "gcs");
    }
  });

  it("meridian:webhooks: each webhook secret in the cloud's secret store, injected by reference, readable by the API only", () => {
    const secret = "not-a-real-meta-secret-8841";
    for (const cloud of ["aws", "gcp"]) {
      const r = preview([
        ...["--stack", "dev", "--cloud", cloud, "-c", "meridian:webhooks=whatsapp,telegram"],
        ...["--secret", `meridian:whatsappAppSecret=${secret}`, "--format", "json", "-q"],
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stdout.includes(secret), `${cloud}: the app secret never appears in the report`);
      const doc = JSON.parse(r.stdout);
      const names = ["whatsapp-app-secret", "whatsapp-verify-token", "telegram-webhook-secret"];
      for (const n of names)
        assert.ok(
          doc.outputs.posture.secrets.includes(`meridian-dev-${n}`),
          `${cloud}: ${n} in posture.secrets`,
        );
      const envs = ["WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "TELEGRAM_WEBHOOK_SECRET"];
      if (cloud === "aws") {
        const td = doc.resources.find(
          (x: Doc) => x.type === "aws:ecs/taskDefinition:TaskDefinition" && !x.name.includes("migrate"),
        );
        const api = JSON.parse(td.inputs.containerDefinitions)[0];
        for (const e of envs) {
          assert.ok(
            api.secrets.some((x: Doc) => x.name === e && /^arn:aws:secretsmanager:/.test(x.valueFrom)),
            e,
          );
          assert.ok(!api.environment.some((x: Doc) => x.name === e), `${e} is never a plain value`);
        }
      } else {
        const svc = doc.resources.find((x: Doc) => x.type === "gcp:cloudrunv2/service:Service");
        for (const e of envs) {
          const env = svc.inputs.template.containers[0].envs.find((x: Doc) => x.name === e);
          assert.ok(env?.valueSource?.secretKeyRef?.version, `${e}: a pinned Secret Manager reference`);
        }
        const accessors = doc.resources.filter(
          (x: Doc) =>
            x.type === "gcp:secretmanager/secretIamMember:SecretIamMember" &&
            /whatsapp|telegram/.test(x.name),
        );
        assert.equal(accessors.length, 3, "one accessor grant per secret, for the runtime identity");
      }
      assert.equal(doc.policy.mandatory, 0);
    }
  });
});

import { strict as assert } from "node:assert";
import { DRAIN_SECONDS, PRESTOP_SECONDS, TERMINATION_GRACE_SECONDS } from "./common";
import { networkPolicySpecs } from "./networkPolicies";
import { commandWithSecrets, quantity, validateResources } from "./podSpec";
import { secretsParameter } from "./secretProviderClass";

describe("k8s pod shapes (pure)", () => {
  it("exports each secret file as its variable, then execs the command so SIGTERM reaches node", () => {
    const c = commandWithSecrets(["DATABASE_URL", "REDIS_URL"], ["node", "dist/server.js"]);
    assert.deepEqual(c.command.slice(0, 2), ["/bin/sh", "-c"]);
    assert.equal(
      c.command[2],
      'export DATABASE_URL="$(cat /var/run/secrets/meridian/DATABASE_URL)" REDIS_URL="$(cat /var/run/secrets/meridian/REDIS_URL)" && exec "$@"',
    );
    assert.deepEqual(c.args, ["node", "dist/server.js"]);
    assert.deepEqual(commandWithSecrets([], ["node", "x"]), { command: ["node", "x"], args: [] });
    assert.throws(
      () => commandWithSecrets(["A;rm -rf /"], ["node"]),
      /secret variable "A;rm -rf \/"; allowed: upper-case/,
    );
  });

  it("reads Kubernetes quantities and refuses a request above its limit", () => {
    assert.equal(quantity("250m"), 0.25);
    assert.equal(quantity("1Gi"), 2 ** 30);
    assert.equal(quantity("512Mi") < quantity("1Gi"), true);
    const ok = { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } };
    assert.deepEqual(validateResources("resources", ok), ok);
    assert.throws(
      () => validateResources("resources", { ...ok, requests: { cpu: "250m", memory: "2Gi" } }),
      /resources.requests.memory is "2Gi", above limits.memory = "1Gi"/,
    );
    assert.throws(
      () => validateResources("resources", { ...ok, limits: { cpu: "lots", memory: "1Gi" } }),
      /resources.limits.cpu is "lots"; allowed: a Kubernetes quantity/,
    );
  });

  it("gives preStop and the app's drain budget time before SIGKILL", () => {
    assert.ok(TERMINATION_GRACE_SECONDS >= PRESTOP_SECONDS + DRAIN_SECONDS);
  });

  it("lists pinned secret versions only, never latest", () => {
    const files = [{ resourceName: "projects/p/secrets/s/versions/3", path: "DATABASE_URL" }];
    assert.deepEqual(JSON.parse(secretsParameter(files)), files);
    assert.throws(
      () => secretsParameter([{ resourceName: "projects/p/secrets/s/versions/latest", path: "X" }]),
      /pinned, never latest/,
    );
    assert.throws(
      () => secretsParameter([{ resourceName: "projects/p/secrets/s/versions/1", path: "../x" }]),
      /secret file path "..\/x"/,
    );
  });

  it("carves the private ranges out of an egress rule when asked", () => {
    const specs = networkPolicySpecs({
      namespace: "n",
      app: "a",
      ingressFrom: ["35.191.0.0/16"],
      egress: [{ name: "https", cidrs: ["0.0.0.0/0"], except: ["10.0.0.0/8"], ports: [443] }],
    });
    assert.deepEqual(specs["egress-https"].egress, [
      {
        to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }],
        ports: [{ protocol: "TCP", port: 443 }],
      },
    ]);
  });
});

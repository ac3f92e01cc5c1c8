/**
 * scripts/release.sh (the delivery workflow's rollout and the release runbook) run against the stack outputs
 * and state of a real offline preview. The cloud CLIs are not installed here: `pulumi`, `aws`, `gcloud` and
 * `curl` are stand-ins that answer from that preview and record every call, so the test checks what the
 * script runs, in which order, with which arguments — not that a cloud accepted them (that needs an account).
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { preview } from "../infra/offline/test/cli";

const script = path.join(__dirname, "release.sh");
const DIGEST = `sha256:${"ab12".repeat(16)}`;
/** The dev GCP stack's Artifact Registry image path (the offline engine's project). */
const GKE_REPO = "us-central1-docker.pkg.dev/meridian-dev-4821/meridian-dev-api/api";

/** A fake-CLI directory answering from one preview; returns how to run the script and the call log. */
function world(cloud: "aws" | "gcp", config: string[] = []) {
  const extra = config.flatMap((c) => ["--config", c]);
  const r = preview(["--stack", "dev", "--cloud", cloud, "--format", "json", "-q", "--no-policy", ...extra]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-release-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  const log = path.join(dir, "calls.log");
  fs.writeFileSync(path.join(dir, "release.json"), JSON.stringify(doc.outputs.release));
  fs.writeFileSync(
    path.join(dir, "export.json"),
    JSON.stringify({
      version: 3,
      deployment: { resources: doc.resources.map((x: any) => ({ urn: x.urn, type: x.type })) },
    }),
  );
  const stub = (name: string, body: string) =>
    fs.writeFileSync(path.join(bin, name), `#!/usr/bin/env bash\necho "${name} $*" >> "${log}"\n${body}\n`, {
      mode: 0o755,
    });
  stub(
    "pulumi",
    `case "$*" in
       "stack output release --json"*) cat "${dir}/release.json" ;;
       "stack output apiUrl"*) echo "https://api.example.test" ;;
       "stack export"*) cat "${dir}/export.json" ;;
     esac`,
  );
  stub(
    "aws",
    `case "$*" in
       *run-task*) echo "arn:aws:ecs:us-east-1:123456789012:task/c/0123456789abcdef" ;;
       *describe-tasks*) echo "\${MIGRATE_EXIT:-0}" ;;
     esac`,
  );
  stub("gcloud", `exit "\${MIGRATE_EXIT:-0}"`);
  stub("kubectl", `case "$*" in *" wait "*) exit "\${KUBECTL_WAIT_EXIT:-0}" ;; esac`);
  stub("curl", `case "$*" in *"/api/businesses"*) echo '{"items":[],"nextCursor":null}' ;; esac`);
  const run = (args: string[], env: Record<string, string> = {}, file = script) =>
    spawnSync("bash", [file, ...args], {
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ...env },
      timeout: 60_000,
    });
  const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : []);
  return { dir, doc, run, calls, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describe("scripts/release.sh: one digest to one stack (delivery workflow, release runbook)", () => {
  it("AWS: pins the digest, updates and runs the migrate task, rolls out, smoke-tests, in that order", () => {
    const w = world("aws");
    try {
      const r = w.run(["dev", "aws", DIGEST]);
      assert.equal(r.status, 0, r.stderr);
      const calls = w.calls();
      const release = w.doc.outputs.release;
      const i = (re: RegExp) => {
        const n = calls.findIndex((c) => re.test(c));
        assert.ok(n >= 0, `no call matching ${re} in:\n${calls.join("\n")}`);
        return n;
      };
      const set = i(
        new RegExp(`^pulumi config set meridian:image ${release.imageRepository}@${DIGEST} --stack dev$`),
      );
      const migrateUrn = w.doc.resources.find(
        (x: any) => x.type === "aws:ecs/taskDefinition:TaskDefinition" && x.urn.endsWith("-migrate-task"),
      ).urn;
      const target = i(/^pulumi up --yes --skip-preview --stack dev --target /);
      assert.ok(calls[target].endsWith(migrateUrn), calls[target]);
      const runTask = i(/^aws ecs --region \S+ run-task --cluster \S+ --task-definition arn:aws:ecs:/);
      assert.match(calls[runTask], /awsvpcConfiguration=\{subnets=\[subnet-/);
      const wait = i(/^aws ecs --region \S+ wait tasks-stopped --cluster \S+ --tasks arn:aws:ecs:/);
      const exit = i(/^aws ecs --region \S+ describe-tasks /);
      const up = i(/^pulumi up --yes --stack dev$/);
      const health = i(/^curl .*https:\/\/api\.example\.test\/health\/ready$/);
      const endpoint = i(/^curl .*\/api\/businesses\?limit=1$/);
      assert.deepEqual(
        [set, target, runTask, wait, exit, up, health, endpoint],
        [set, target, runTask, wait, exit, up, health, endpoint].sort((a, b) => a - b),
        `out of order:\n${calls.join("\n")}`,
      );
      assert.match(r.stderr, /is live/);
    } finally {
      w.dispose();
    }
  });

  it("AWS: a failed migration stops the rollout before pulumi up", () => {
    const w = world("aws");
    try {
      const r = w.run(["dev", "aws", DIGEST], { MIGRATE_EXIT: "1" });
      assert.notEqual(r.status, 0);
      assert.ok(!w.calls().includes("pulumi up --yes --stack dev"), w.calls().join("\n"));
    } finally {
      w.dispose();
    }
  });

  it("GCP: the Artifact Registry image, the migrate Cloud Run job, then the rollout", () => {
    const w = world("gcp");
    try {
      const r = w.run(["dev", "gcp", DIGEST]);
      assert.equal(r.status, 0, r.stderr);
      const calls = w.calls();
      const release = w.doc.outputs.release;
      assert.ok(
        calls.includes(`pulumi config set meridian:image ${release.imageRepository}@${DIGEST} --stack dev`),
      );
      assert.ok(
        calls.some((c) =>
          /^pulumi up .*--target urn:pulumi:dev::meridian::.*gcp:cloudrunv2\/job:Job::.*-jobs-migrate$/.test(
            c,
          ),
        ),
      );
      const job = calls.findIndex((c) => c === `gcloud ${release.migrate.command.replace(/^gcloud /, "")}`);
      const up = calls.indexOf("pulumi up --yes --stack dev");
      assert.ok(job >= 0 && up > job, calls.join("\n"));
    } finally {
      w.dispose();
    }
  });

  const GKE = ["meridian:runtime=gke"];
  /** The dev GKE stack after a first release: `meridian:image` set, so the migrate Job exists. */
  const released = () => [...GKE, `meridian:image=${GKE_REPO}@sha256:${"cd34".repeat(16)}`];

  it("GKE (`gcp`, runtime read from the state): targets the migrate Job, waits for it with kubectl, then rolls", () => {
    const w = world("gcp", released());
    try {
      const r = w.run(["dev", "gcp", DIGEST]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /GCP runtime gke/);
      const calls = w.calls();
      const release = w.doc.outputs.release;
      const job = w.doc.resources.filter((x: any) => x.type === "kubernetes:batch/v1:Job");
      assert.equal(job.length, 1, "the preview has one migrate Job");
      assert.equal(job[0].inputs.metadata.name, release.migrate.name);
      const at = (c: string) => {
        const n = calls.indexOf(c);
        assert.ok(n >= 0, `no call '${c}' in:\n${calls.join("\n")}`);
        return n;
      };
      const order = [
        at(`pulumi config set meridian:image ${release.imageRepository}@${DIGEST} --stack dev`),
        at(`pulumi up --yes --skip-preview --stack dev --target ${job[0].urn}`),
        at(release.migrate.command.split(" && ")[0]),
        at(release.migrate.command.split(" && ")[1]),
        at("pulumi up --yes --stack dev"),
      ];
      assert.deepEqual(
        order,
        [...order].sort((a, b) => a - b),
        calls.join("\n"),
      );
      assert.match(
        calls[order[3]],
        /^kubectl --namespace meridian wait --for=condition=complete job\/meridian-api-migrate /,
      );
      assert.ok(!calls.some((c) => /cloudrunv2|^aws /.test(c)), calls.join("\n"));
    } finally {
      w.dispose();
    }
  });

  it("GKE: a migrate Job that did not complete stops the rollout before pulumi up", () => {
    const w = world("gcp", released());
    try {
      const r = w.run(["dev", "gcp", DIGEST], { KUBECTL_WAIT_EXIT: "1" });
      assert.notEqual(r.status, 0);
      assert.ok(!w.calls().includes("pulumi up --yes --stack dev"), w.calls().join("\n"));
    } finally {
      w.dispose();
    }
  });

  it("GKE first release (placeholder, no migrate Job in the state): no target, the full pulumi up creates it", () => {
    const w = world("gcp", GKE);
    try {
      assert.ok(
        !w.doc.resources.some((x: any) => x.type === "kubernetes:batch/v1:Job"),
        "no Job before a release",
      );
      const r = w.run(["dev", "gcp", DIGEST]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /no migrate Job yet \(first release\)/);
      const calls = w.calls();
      assert.ok(!calls.some((c) => c.includes("--target") || c.startsWith("kubectl")), calls.join("\n"));
      assert.ok(calls.includes("pulumi up --yes --stack dev"), calls.join("\n"));
    } finally {
      w.dispose();
    }
  });

  it("GKE rollback: the runbook's emergency block undoes the preview's Deployment in its namespace and cluster", () => {
    const w = world("gcp", released());
    try {
      const runbook = fs.readFileSync(path.join(__dirname, "..", "docs", "runbooks", "release.md"), "utf8");
      const block = /<!-- release\.test\.ts runs this block[^>]*-->\s*```bash\n([\s\S]*?)```/.exec(runbook);
      assert.ok(block, "the runbook has the GKE emergency block");
      const file = path.join(w.dir, "rollback.sh");
      fs.writeFileSync(file, `set -euo pipefail\n${block[1]}`);
      const r = w.run([], {}, file);
      assert.equal(r.status, 0, r.stderr);
      // What the block names must exist in the preview: the Deployment (name, namespace) and the cluster.
      const deployment = w.doc.resources.find((x: any) => x.type === "kubernetes:apps/v1:Deployment");
      const cluster = w.doc.resources.find((x: any) => x.type === "gcp:container/cluster:Cluster");
      const { name, namespace } = deployment.inputs.metadata;
      const kubectl = `kubectl --namespace ${namespace}`;
      assert.deepEqual(
        w.calls().filter((c) => !c.startsWith("pulumi ")),
        [
          `gcloud container clusters get-credentials ${cluster.outputs.name} --region ${cluster.inputs.location} --project ${cluster.inputs.project} --dns-endpoint`,
          `${kubectl} rollout history deployment/${name}`,
          `${kubectl} rollout undo deployment/${name}`,
          `${kubectl} rollout status deployment/${name} --timeout=10m`,
        ],
      );
    } finally {
      w.dispose();
    }
  });

  it("refuses what is not a digest or a cloud, before touching the stack", () => {
    const w = world("aws");
    try {
      for (const [args, re] of [
        [["dev", "aws", "latest"], /digest must be sha256:<64 hex digits>, got 'latest'/],
        [["dev", "azure", DIGEST], /cloud must be aws or gcp .*got 'azure'/],
      ] as const) {
        const r = w.run([...args]);
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, re);
      }
      assert.deepEqual(w.calls(), [], "nothing ran");
    } finally {
      w.dispose();
    }
  });
});

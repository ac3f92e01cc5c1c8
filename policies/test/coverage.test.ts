/**
 * Coverage audits against the provider SDKs (fail when a type is missed), and remediation texts that name
 * only options and components that exist.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { typeMatcher } from "../lib/rule";
import { RULES } from "../pack";
import { SG_LB_TYPES } from "../rules/aws/access";
import { ELASTICACHE_DATA_TYPES } from "../rules/aws/elasticache";
import { GCP_IAM_TYPES } from "../rules/gcp/iam";

const root = path.resolve(__dirname, "..", "..");

/** Every resource type token an SDK package declares, with the .d.ts of its class. */
function sdkTypes(pkg: string): { type: string; dts: string }[] {
  const dir = path.join(root, "node_modules", "@pulumi", pkg);
  const out: { type: string; dts: string }[] = [];
  for (const mod of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!mod.isDirectory() || mod.name === "types" || mod.name === "config") continue;
    for (const f of fs.readdirSync(path.join(dir, mod.name))) {
      if (!f.endsWith(".js")) continue;
      const js = fs.readFileSync(path.join(dir, mod.name, f), "utf8");
      const m = /__pulumiType = '([^']+)'/.exec(js);
      if (m) out.push({ type: m[1], dts: path.join(dir, mod.name, f.replace(/\.js$/, ".d.ts")) });
    }
  }
  return out;
}

const argsOf = (dts: string) => {
  const text = fs.readFileSync(dts, "utf8");
  return text.slice(text.search(/export interface \w+Args \{/));
};

describe("coverage audit: GCP IAM member/binding/policy types from @pulumi/gcp", () => {
  const iam = sdkTypes("gcp").filter((t) => /:\w*I[Aa][Mm](Member|Binding|Policy)$/.test(t.type));
  it("the SDK has the IAM types the issue names", () => {
    assert.ok(iam.length > 100, `only ${iam.length} IAM types found`);
    const names = iam.map((t) => t.type);
    for (const t of [
      "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding",
      "gcp:cloudfunctions/functionIamMember:FunctionIamMember",
      "gcp:cloudfunctionsv2/functionIamPolicy:FunctionIamPolicy",
      "gcp:pubsub/topicIAMMember:TopicIAMMember",
      "gcp:storage/bucketIAMBinding:BucketIAMBinding",
      "gcp:artifactregistry/repositoryIamPolicy:RepositoryIamPolicy",
      "gcp:folder/iAMMember:IAMMember",
    ])
      assert.ok(names.includes(t), t);
  });
  it("every one is inspected by the IAM rules, and carries the field the rules read", () => {
    const matches = typeMatcher(GCP_IAM_TYPES);
    const missed = iam.filter((t) => !matches(t.type)).map((t) => t.type);
    assert.deepEqual(missed, []);
    const field: Record<string, RegExp> = {
      member: /\bmember: /,
      binding: /\bmembers: /,
      policy: /\bpolicyData: /,
    };
    const wrong = iam
      .filter((t) => !field[/(Member|Binding|Policy)$/i.exec(t.type)![1].toLowerCase()].test(argsOf(t.dts)))
      .map((t) => t.type);
    assert.deepEqual(wrong, [], "types whose args lack member/members/policyData");
  });
  it("Cloud Functions v1/v2 invoker grants to allUsers are reported in all three spellings", async () => {
    const { analyze } = await import("./harness");
    for (const [type, props] of [
      [
        "gcp:cloudfunctions/functionIamMember:FunctionIamMember",
        { role: "roles/cloudfunctions.invoker", member: "allUsers" },
      ],
      [
        "gcp:cloudfunctionsv2/functionIamBinding:FunctionIamBinding",
        { role: "roles/cloudfunctions.invoker", members: ["allAuthenticatedUsers"] },
      ],
      [
        "gcp:cloudfunctionsv2/functionIamPolicy:FunctionIamPolicy",
        { policyData: JSON.stringify({ bindings: [{ role: "roles/run.invoker", members: ["allUsers"] }] }) },
      ],
    ] as const) {
      const ds = (await analyze(type, props)).filter((d) => d.policy === "gcp-no-public-members");
      assert.equal(ds.length, 1, type);
      assert.equal(ds[0].enforcement, "mandatory");
    }
  });
});

describe("coverage audit: AWS load balancers and ElastiCache from @pulumi/aws", () => {
  const aws = sdkTypes("aws");
  it("every load balancer type that takes securityGroups is a load balancer for the SG exemption", () => {
    const lbs = aws
      .filter((t) => /:LoadBalancer$/.test(t.type) && /\bsecurityGroups\?: /.test(argsOf(t.dts)))
      .map((t) => t.type)
      .sort();
    assert.ok(lbs.includes("aws:elb/loadBalancer:LoadBalancer"), "classic ELB found in the SDK");
    assert.deepEqual(lbs, [...SG_LB_TYPES].sort());
  });
  it("every ElastiCache resource that stores data is judged for encryption at rest and AUTH", () => {
    const data = aws
      .filter(
        (t) => /^aws:elasticache\//.test(t.type) && /\b(engine|majorEngineVersion)\?: /.test(argsOf(t.dts)),
      )
      .map((t) => t.type)
      .filter((t) => t !== "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup") // inherits its primary's
      .sort();
    assert.deepEqual(data, [...ELASTICACHE_DATA_TYPES].sort());
    for (const id of ["aws-elasticache-encrypted-at-rest", "aws-elasticache-auth"])
      assert.deepEqual([...RULES.find((r) => r.id === id)!.types].sort(), data, id);
  });
});

describe("remediation texts name options and components that exist", () => {
  const { KNOWN_KEYS } = require("../../infra/config") as { KNOWN_KEYS: Record<string, unknown> };
  for (const r of RULES) {
    it(`${r.id}`, () => {
      const keys = [...r.remediation.matchAll(/meridian:([A-Za-z]+)/g)].map((m) => m[1]);
      for (const k of keys) assert.ok(k in KNOWN_KEYS, `meridian:${k} is not in infra/config/ KNOWN_KEYS`);
      const paths = [...r.remediation.matchAll(/components\/[\w/.-]+?\.ts/g)].map((m) => m[0]);
      for (const p of paths) assert.ok(fs.existsSync(path.join(root, p)), `${p} does not exist`);
      const meridian = r.remediation.split(/ Raw:|; raw:/)[0];
      if (/\bcomponents?\b/.test(meridian) && !/no Kubernetes component/.test(meridian))
        assert.ok(paths.length > 0, `names a component without its path: ${meridian}`);
    });
  }
});

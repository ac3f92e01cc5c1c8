import { strict as assert } from "node:assert";
import { loadCatalogue } from "./catalogue";
import { estimateStack } from "./estimate";
import { GraphResource, PreviewGraph } from "./graph";

const c = loadCatalogue();
const H = c.assumptions.hoursPerMonth;
const p = (k: string) => c.prices[k].price;

function res(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<GraphResource> = {},
): GraphResource {
  return {
    urn: `urn:pulumi:s::proj::${type}::${name}`,
    type,
    name,
    custom: true,
    parent: null,
    inputs,
    ...extra,
  };
}

function graph(resources: GraphResource[], config: Record<string, string> = {}): PreviewGraph {
  return {
    project: "proj",
    stack: "s",
    config: Object.fromEntries(Object.entries(config).map(([k, v]) => [k, { value: v }])),
    resources,
  };
}

const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-6, `${a} != ${b}`);

describe("cost estimate (pricing rules)", () => {
  it("prices an RDS instance by class, Multi-AZ and storage", () => {
    const db = res("aws:rds/instance:Instance", "db", {
      instanceClass: "db.m7g.large",
      multiAz: true,
      allocatedStorage: 100,
      storageType: "gp3",
    });
    const e = estimateStack(graph([db]), c);
    near(e.total, 2 * H * p("aws.rds.db.m7g.large") + 200 * p("aws.rds.gp3.gb"));
    assert.equal(e.lines[0].detail, "db.m7g.large Multi-AZ, 100 GB");
    const single = estimateStack(graph([{ ...db, inputs: { ...db.inputs, multiAz: false } }]), c);
    assert.ok(single.total < e.total / 1.9);
  });

  it("reports an instance class the catalogue does not price as unpriced, with the reason", () => {
    const e = estimateStack(
      graph([
        res("aws:rds/instance:Instance", "db", {
          instanceClass: "db.x2g.16xlarge",
          allocatedStorage: 20,
          storageType: "gp3",
        }),
      ]),
      c,
    );
    assert.equal(e.total, 0);
    assert.equal(e.unpriced.length, 1);
    assert.match(e.unpriced[0].reason, /no price "aws\.rds\.db\.x2g\.16xlarge"/);
  });

  it("reports a type with no rule that is not free as unpriced, and counts free ones", () => {
    const e = estimateStack(
      graph([res("aws:opensearch/domain:Domain", "d", {}), res("aws:iam/role:Role", "r", {})]),
      c,
    );
    assert.deepEqual(
      e.unpriced.map((u) => u.type),
      ["aws:opensearch/domain:Domain"],
    );
    assert.equal(e.freeCount, 1);
  });

  it("prices Fargate tasks from the task definition, at minInstances while no image runs", () => {
    const td = res("aws:ecs/taskDefinition:TaskDefinition", "td", { cpu: "1024", memory: "2048" });
    const svc = res(
      "aws:ecs/service:Service",
      "svc",
      { desiredCount: 0 },
      { propertyDependencies: { taskDefinition: [td.urn] } },
    );
    const e = estimateStack(graph([td, svc], { "proj:minInstances": "2" }), c);
    near(e.total, 2 * H * (p("aws.fargate.vcpu") + 2 * p("aws.fargate.gb")));
    assert.match(e.lines[0].notes.join(), /estimated at proj:minInstances = 2/);
    const spot = estimateStack(
      graph([
        td,
        {
          ...svc,
          inputs: {
            desiredCount: 2,
            capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
          },
        },
      ]),
      c,
    );
    near(spot.total, e.total * p("aws.fargate.spotFactor"));
  });

  it("prices NAT per gateway, WAF per ACL and rule, Cloud SQL HA twice, Memorystore by tier", () => {
    const e = estimateStack(
      graph([
        res("aws:ec2/natGateway:NatGateway", "a", {}),
        res("aws:ec2/natGateway:NatGateway", "b", {}),
        res("aws:wafv2/webAcl:WebAcl", "w", { rules: [{}, {}, {}] }),
      ]),
      c,
    );
    const nat = H * p("aws.nat.hour") + c.assumptions.natProcessedGbPerGateway * p("aws.nat.gb");
    const waf =
      p("aws.waf.acl") +
      3 * p("aws.waf.rule") +
      (c.assumptions.edgeRequestsPerMonth / 1e6) * p("aws.waf.requests");
    near(e.total, 2 * nat + waf);
    const sql = (availabilityType: string) =>
      estimateStack(
        graph([
          res("gcp:sql/databaseInstance:DatabaseInstance", "db", {
            settings: { tier: "db-custom-2-7680", availabilityType, diskSize: 100, diskType: "PD_SSD" },
          }),
        ]),
        c,
      ).total;
    const backups = 100 * c.assumptions.backupStoredGbFactor * p("gcp.sql.backup.gb");
    near(sql("REGIONAL") - backups, 2 * (sql("ZONAL") - backups));
    const redis = estimateStack(
      graph([res("gcp:redis/instance:Instance", "r", { tier: "STANDARD_HA", memorySizeGb: 5 })]),
      c,
    );
    near(redis.total, 5 * H * p("gcp.redis.standard.m2"));
  });

  it("prices Cloud SQL shared-core tiers per instance-hour (HA twice); an unknown tier is unpriced with why", () => {
    const sql = (tier: string, availabilityType = "ZONAL") =>
      estimateStack(
        graph([
          res("gcp:sql/databaseInstance:DatabaseInstance", "db", {
            settings: { tier, availabilityType, diskSize: 20, diskType: "PD_SSD" },
          }),
        ]),
        c,
      );
    const disk = 20 * p("gcp.sql.ssd.gb") + 20 * c.assumptions.backupStoredGbFactor * p("gcp.sql.backup.gb");
    near(sql("db-f1-micro").total, H * p("gcp.sql.shared.f1-micro") + disk);
    near(sql("db-g1-small").total, H * p("gcp.sql.shared.g1-small") + disk);
    near(
      sql("db-g1-small", "REGIONAL").total,
      2 * H * p("gcp.sql.shared.g1-small") +
        2 * 20 * p("gcp.sql.ssd.gb") +
        20 * c.assumptions.backupStoredGbFactor * p("gcp.sql.backup.gb"),
    );
    const odd = sql("db-n1-standard-1");
    assert.equal(odd.total, 0);
    assert.match(
      odd.unpriced[0]?.reason ?? "",
      /db-n1-standard-1 is neither .* \(db-f1-micro, db-g1-small\)/,
    );
  });

  it("warns when the stack's region is not the catalogue's", () => {
    const nat = res("aws:ec2/natGateway:NatGateway", "a", {});
    assert.equal(estimateStack(graph([nat], { "aws:region": "us-east-1" }), c).regionWarning, undefined);
    const e = estimateStack(graph([nat], { "proj:cloud": "aws", "aws:region": "eu-west-1" }), c);
    assert.match(e.regionWarning ?? "", /prices are for us-east-1; the stack is in eu-west-1/);
  });

  it("prices the first five global forwarding rules once", () => {
    const rules = [1, 2, 3].map((i) =>
      res("gcp:compute/globalForwardingRule:GlobalForwardingRule", `r${i}`, {}),
    );
    const e = estimateStack(graph(rules), c);
    near(e.total, H * p("gcp.lb.rules.first5"));
    assert.equal(e.lines.length, 1);
    assert.equal(e.freeCount, 2);
  });
});

/**
 * `meridian:cacheEnabled=false` (dev only) through the offline engine on AWS, GCP Cloud Run and GKE: no cache
 * resource, secret, grant, rule, alarm or environment variable is left, the posture says `cache: null` with
 * the reason and still satisfies the outputs contract, and the diagram and the go-live checklist read the
 * graph as they read the default one. The default graphs contain every trace checked here, so each check
 * can fail. The policy pack's verdict on these previews is in docs/cost-dev.md (0 mandatory).
 */
import { strict as assert } from "node:assert";
import { goLiveChecklist } from "../infra/audit/checklist";
import { checkFlowchart } from "../infra/diagram/check";
import { buildDiagram, renderMermaid } from "../infra/diagram/diagram";
import { previewGraph } from "../infra/diagram/previews";
import type { CapturedResource } from "../infra/offline/runtime";
import { checkOutputsContract, type Posture } from "../components/shared/contracts";
import { NO_CACHE_REASON } from "./noCache";

const OFF = "meridian:cacheEnabled=false";
const GKE = "meridian:runtime=gke";
/** What a cache leaves in a graph: its resources and names, its ports, its env, its metrics and APIs. */
const TRACES =
  /REDIS_[A-Z_]+|\b637[89]\b|redis-ca\.pem|elasticache|ElastiCache|redis\.googleapis\.com|gcp:redis|meridian-dev-cache/g;

const VARIANTS = [
  { name: "aws", cloud: "aws", extra: [] as string[] },
  { name: "gcp (Cloud Run)", cloud: "gcp", extra: [] as string[] },
  { name: "gcp (GKE)", cloud: "gcp", extra: [GKE] },
];

function traces(resources: unknown[]): string[] {
  return [...new Set(JSON.stringify(resources).match(TRACES) ?? [])].sort();
}

interface Outputs {
  posture: Posture;
}

describe("meridian:cacheEnabled=false: dev without a cache (offline previews)", function () {
  this.timeout(300_000);

  for (const v of VARIANTS) {
    it(`${v.name}: the default graph has the cache; without it no trace of one is left`, () => {
      assert.notDeepEqual(traces(previewGraph("dev", v.cloud, v.extra).resources), []);
      assert.deepEqual(traces(previewGraph("dev", v.cloud, [...v.extra, OFF]).resources), []);
    });

    it(`${v.name}: posture.cache is null with the reason, no cache fact, and the contract holds`, () => {
      const outputs = (previewGraph("dev", v.cloud, [...v.extra, OFF]) as unknown as { outputs: Outputs })
        .outputs;
      const p = outputs.posture;
      assert.equal(p.cache, null);
      assert.deepEqual(p.absent, { cache: NO_CACHE_REASON });
      assert.deepEqual(checkOutputsContract(outputs), []);
      assert.deepEqual(
        p.tlsHops?.filter((h) => h.hop === "app-to-cache"),
        [],
      );
      const facts = JSON.stringify([p.encryption, p.dataStoreBackups, p.secrets, p.logRetentionDays]);
      assert.doesNotMatch(facts, /cache|memorystore|elasticache/i);
      assert.doesNotMatch(JSON.stringify(p.confirmOnDeployment), /ElastiCache|Memorystore/);
      assert.doesNotMatch(JSON.stringify(p.alarms.names), /cache/i);
      const withCache = (previewGraph("dev", v.cloud, v.extra) as unknown as { outputs: Outputs }).outputs;
      assert.ok(withCache.posture.cache, "the default posture has a cache section");
      assert.equal(withCache.posture.absent, undefined, "and no absent section");
    });

    it(`${v.name}: the diagram draws no cache and the go-live checklist reads the same`, () => {
      const g = previewGraph("dev", v.cloud, [...v.extra, OFF]);
      const d = buildDiagram(g);
      assert.deepEqual(checkFlowchart(renderMermaid(d)), []);
      assert.deepEqual(
        d.boxes.flatMap((b) => b.nodes).filter((n) => n.role === "cache"),
        [],
      );
      const status = (resources: unknown[]) =>
        goLiveChecklist(resources as CapturedResource[]).map((c) => `${c.id}: ${c.status}`);
      assert.deepEqual(status(g.resources), status(previewGraph("dev", v.cloud, v.extra).resources));
    });
  }

  it("prod refuses it before any resource exists", () => {
    assert.throws(
      () => previewGraph("prod", "aws", [OFF]),
      /meridian:cacheEnabled = "false": must be true in prod/,
    );
  });
});

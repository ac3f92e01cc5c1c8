import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { assignVariant, bucket, EXPERIMENTS, type Experiment } from "../src/growth/experiments";
import { createFixture, type Fixture } from "./fixture";

describe("experiments: stable variant assignment", function () {
  this.timeout(60_000);

  describe("assignVariant (pure)", () => {
    const experiment = EXPERIMENTS.business_contact_button;

    it("is stable per visitor and independent of call order", () => {
      const ids = Array.from({ length: 200 }, (_, i) => `visitor-${i.toString().padStart(6, "0")}`);
      const first = ids.map((id) => assignVariant(experiment, id).key);
      const second = [...ids]
        .reverse()
        .map((id) => assignVariant(experiment, id).key)
        .reverse();
      assert.deepEqual(second, first);
      // Pinned values: a change of the hash (which would reshuffle running visitors) fails this test.
      assert.equal(
        bucket("business_contact_button", "visitor-000000").toFixed(6),
        bucketOf("visitor-000000"),
      );
    });

    it("splits 20000 visitors by the weights (chi-square, 1 d.f., p > 0.001)", () => {
      const counts = new Map<string, number>();
      const n = 20_000;
      for (let i = 0; i < n; i++) {
        const v = assignVariant(experiment, `dist-${i}`).key;
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const chi = [...counts.values()].reduce((s, c) => s + (c - n / 2) ** 2 / (n / 2), 0);
      assert.equal(counts.size, 2);
      assert.ok(chi < 10.83, `chi-square ${chi.toFixed(2)} for ${JSON.stringify([...counts])}`);
    });

    it("honours unequal weights and hashes experiments independently", () => {
      const skewed: Experiment = {
        key: "skewed_test",
        description: "",
        variants: [
          { key: "a", weight: 9 },
          { key: "b", weight: 1 },
        ],
        conversionTypes: [],
      };
      let b = 0;
      let same = 0;
      const n = 10_000;
      for (let i = 0; i < n; i++) {
        const id = `w-${i}`;
        if (assignVariant(skewed, id).key === "b") b++;
        if (bucket("skewed_test", id) < 0.5 === bucket("business_contact_button", id) < 0.5) same++;
      }
      assert.ok(Math.abs(b / n - 0.1) < 0.015, `share of b ${b / n}`);
      assert.ok(Math.abs(same / n - 0.5) < 0.03, `experiments correlated: ${same / n}`);
    });
  });

  describe("GET /api/experiments/:key/assignment (real PostgreSQL)", () => {
    let f: Fixture;
    before(async () => {
      f = await createFixture("experiments");
    });
    after(async () => f?.close());

    it("answers the same variant every time and records one exposure", async () => {
      const visitor = "assign-visitor-0001";
      const answers = [];
      for (let i = 0; i < 3; i++) {
        const res = await f.request("/api/experiments/business_contact_button/assignment", {
          headers: { "x-visitor-id": visitor },
        });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get("cache-control"), "private, no-store");
        answers.push(await res.json());
      }
      const expected = assignVariant(EXPERIMENTS.business_contact_button, visitor).key;
      for (const a of answers) {
        assert.deepEqual(a, {
          experiment: "business_contact_button",
          visitorId: visitor,
          variantKey: expected,
        });
      }
      const rows = await f.sql`SELECT variant_key FROM experiment_exposures WHERE visitor_id = ${visitor}`;
      assert.deepEqual(
        rows.map((r) => r.variant_key),
        [expected],
      );
    });

    it("400 without or with a malformed x-visitor-id; 404 for an unknown experiment; 400 for a malformed key", async () => {
      const none = await f.request("/api/experiments/business_contact_button/assignment");
      assert.equal(none.status, 400);
      const p = (await none.json()) as { errors: { field: string }[] };
      assert.ok(p.errors.some((e) => e.field === "header.x-visitor-id"));
      const bad = await f.request("/api/experiments/business_contact_button/assignment", {
        headers: { "x-visitor-id": "a b" },
      });
      assert.equal(bad.status, 400);
      const unknown = await f.request("/api/experiments/no_such_thing/assignment", {
        headers: { "x-visitor-id": "assign-visitor-0002" },
      });
      assert.equal(unknown.status, 404);
      assert.match(((await unknown.json()) as { detail: string }).detail, /business_contact_button/);
      const malformed = await f.request("/api/experiments/Bad-Key/assignment", {
        headers: { "x-visitor-id": "assign-visitor-0002" },
      });
      assert.equal(malformed.status, 400);
    });
  });
});

/** Independent computation of the documented bucket: first 8 bytes of SHA-256("key:visitor") / 2^64. */
function bucketOf(visitor: string): string {
  const d = createHash("sha256").update(`business_contact_button:${visitor}`).digest("hex");
  return (Number(BigInt(`0x${d.slice(0, 16)}`)) / 2 ** 64).toFixed(6);
}

import { strict as assert } from "node:assert";
import { awsTags, gcpLabels, STANDARD_TAG_KEYS, withName } from "./tags";

const base = { app: "meridian", environment: "prod", owner: "Platform Team", costCenter: "CC-1234" };

describe("tags", () => {
  it("builds the five standard AWS tags", () => {
    const t = awsTags(base);
    assert.deepEqual(Object.keys(t), [...STANDARD_TAG_KEYS]);
    assert.equal(t["managed-by"], "pulumi");
    assert.equal(t["cost-center"], "CC-1234");
  });

  it("merges extra tags but refuses to override a standard key or use aws:", () => {
    assert.equal(awsTags({ ...base, extra: { team: "sre" } }).team, "sre");
    assert.throws(() => awsTags({ ...base, extra: { owner: "someone" } }), /would override a standard tag/);
    assert.throws(() => awsTags({ ...base, extra: { "aws:foo": "x" } }), /reserved prefix "aws:"/);
  });

  it("folds values to ASCII and cuts them to AWS limits", () => {
    const t = awsTags({ ...base, owner: "Equipo Plataforma Dirección", extra: { note: "n".repeat(300) } });
    assert.equal(t.owner, "Equipo Plataforma Direccion");
    assert.equal(t.note.length, 256);
  });

  it("adds a Name tag", () => {
    assert.equal(withName(awsTags(base), "meridian-prod-vpc").Name, "meridian-prod-vpc");
  });

  it("makes GCP labels: lowercase keys and values, [a-z0-9_-], at most 63 characters", () => {
    const l = gcpLabels({ ...base, extra: { "Team.Name": "SRE On Call" } });
    assert.equal(l.owner, "platform-team");
    assert.equal(l["cost-center"], "cc-1234");
    assert.equal(l["team-name"], "sre-on-call");
    for (const [k, v] of Object.entries(l)) {
      assert.match(k, /^[a-z][a-z0-9_-]{0,62}$/);
      assert.match(v, /^[a-z0-9_-]{0,63}$/);
    }
  });

  it("rejects a GCP label key that cannot start with a letter", () => {
    assert.throws(
      () => gcpLabels({ ...base, extra: { "1team": "x" } }),
      /must start with a lowercase letter/,
    );
  });
});

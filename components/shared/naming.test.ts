import { strict as assert } from "node:assert";
import { asciiDescription, checkName, NAME_RULES, NameKind, physicalName, toAscii } from "./naming";

describe("naming", () => {
  it("joins parts and keeps short valid names unchanged", () => {
    assert.equal(physicalName("aws:lb", "meridian-prod", "api"), "meridian-prod-api");
    assert.equal(physicalName("gcp:resource", "meridian-dev", "vpc"), "meridian-dev-vpc");
  });

  it("folds accents to ASCII (AWS and GCP reject them at deploy time)", () => {
    assert.equal(toAscii("Educación Pública"), "Educacion Publica");
    assert.equal(physicalName("gcp:resource", "Santo-Domingo", "Educación"), "santo-domingo-educacion");
    assert.equal(physicalName("aws:iam", "São Paulo", "role"), "Sao-Paulo-role");
  });

  it("lowercases where the cloud requires it and replaces invalid characters", () => {
    assert.equal(physicalName("aws:s3", "Meridian_Prod", "Assets"), "meridian-prod-assets");
    assert.equal(physicalName("aws:rds", "meridian--prod", "db"), "meridian-prod-db");
  });

  it("starts with a letter when the kind requires it", () => {
    const n = physicalName("gcp:resource", "1st", "net");
    assert.match(n, /^[a-z]/);
    assert.equal(checkName("gcp:resource", n), undefined);
  });

  for (const kind of Object.keys(NAME_RULES) as NameKind[]) {
    it(`keeps ${kind} names within ${NAME_RULES[kind].max} characters, deterministically and without collisions`, () => {
      const long = "meridian-production-europe-west1-" + "x".repeat(300);
      const a = physicalName(kind, long, "alpha");
      const b = physicalName(kind, long, "beta");
      assert.ok(a.length <= NAME_RULES[kind].max, `${a} is ${a.length} long`);
      assert.equal(checkName(kind, a), undefined);
      assert.notEqual(a, b, "two long names must not collide after truncation");
      assert.equal(physicalName(kind, long, "alpha"), a, "same input, same name");
    });
  }

  it("truncates with a hash and no trailing separator", () => {
    const n = physicalName("gcp:vpcConnector", "meridian-production-europe-west1", "connector");
    assert.ok(n.length <= 25);
    assert.match(n, /-[0-9a-f]{6}$/);
    assert.doesNotMatch(n, /--/);
  });

  it("pads names below the minimum length", () => {
    const n = physicalName("gcp:serviceAccount", "api");
    assert.ok(n.length >= 6 && n.length <= 30, n);
    assert.equal(checkName("gcp:serviceAccount", n), undefined);
  });

  it("rejects an empty name with a message naming the kind", () => {
    assert.throws(() => physicalName("aws:lb", "", ""), /physicalName\(aws:lb\).*empty/);
  });

  it("checkName explains what is wrong", () => {
    assert.match(checkName("aws:lb", "x".repeat(33)) ?? "", /length 33 is outside 1-32/);
    assert.match(checkName("gcp:resource", "Net") ?? "", /lowercase/);
    assert.match(checkName("aws:rds", "a--b") ?? "", /'--'/);
    assert.match(checkName("aws:s3", "ab") ?? "", /outside 3-63/);
    assert.match(checkName("gcp:resource", "redé") ?? "", /non-ASCII/);
  });

  it("asciiDescription accepts ASCII and rejects accents with a suggestion", () => {
    assert.equal(asciiDescription("Allow HTTPS from the ALB"), "Allow HTTPS from the ALB");
    assert.throws(
      () => asciiDescription("Acceso público", "securityGroup.description"),
      /securityGroup\.description must be ASCII-only.*"ú".*"Acceso publico"/,
    );
  });
});

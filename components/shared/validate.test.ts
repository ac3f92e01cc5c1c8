import { strict as assert } from "node:assert";
import { oneOf, resolveArgs, show } from "./validate";

describe("shared validate", () => {
  it("show quotes strings and keeps NaN visible", () => {
    assert.equal(show("a"), '"a"');
    assert.equal(show(Number.NaN), "NaN");
    assert.equal(show(undefined), "undefined");
    assert.equal(show({ a: 1 }), '{"a":1}');
  });

  it("oneOf names the arg, the value and every allowed value", () => {
    assert.equal(oneOf("natStrategy", "single", ["none", "single", "perAz"]), "single");
    assert.throws(
      () => oneOf("natStrategy", "double", ["none", "single", "perAz"]),
      /^Error: natStrategy is "double"; allowed: "none", "single", "perAz"$/,
    );
    assert.throws(() => oneOf("azCount", 5, [2, 3, 4]), /azCount is 5; allowed: 2, 3, 4/);
  });

  it("resolveArgs prefixes errors with the component and its name", () => {
    assert.equal(
      resolveArgs("Cache", "c", () => 1),
      1,
    );
    assert.throws(
      () =>
        resolveArgs("Cache", "meridian-dev-cache", () => {
          throw new Error("replicas is -1; allowed: 0-5");
        }),
      /^Error: Cache "meridian-dev-cache": replicas is -1; allowed: 0-5$/,
    );
  });
});

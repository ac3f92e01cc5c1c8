/**
 * `aws-ec2-no-public-ip`: the NAT instance exception is exact. A public address passes only with all three
 * marks (source/dest check off, the tag, a subnet routed to an internet gateway); any one missing is a
 * violation naming it. Checked with the engine's dependency graph and with ids only.
 */
import { strict as assert } from "node:assert";
import { natInstanceStack, type NatInstanceVariant } from "./ec2-stack";
import { analyze, analyzeStack } from "./harness";

const RULE = "aws-ec2-no-public-ip";
const findings = async (v: NatInstanceVariant) =>
  (await analyzeStack(natInstanceStack(v))).filter((d) => d.policy === RULE).map((d) => d.message);

describe("aws-ec2-no-public-ip: the NAT instance exception", () => {
  for (const links of ["deps", "ids"] as const) {
    describe(`resources linked by ${links === "deps" ? "the dependency graph" : "ids only"}`, () => {
      it("a NAT instance (all three marks) with an Elastic IP or a launch-time public IP passes", async () => {
        assert.deepEqual(await findings({ links }), []);
        assert.deepEqual(await findings({ links, address: "associatePublicIpAddress" }), []);
      });

      it("each missing mark is a violation that names it", async () => {
        const cases: [NatInstanceVariant, RegExp][] = [
          [{ tag: false }, /meridian-role=nat-instance is missing/],
          [{ forwarding: false }, /sourceDestCheck is not false/],
          [{ publicSubnet: false }, /no 0\.0\.0\.0\/0 route to an internet gateway/],
        ];
        for (const [v, re] of cases) {
          const got = await findings({ links, ...v });
          assert.equal(got.length, 1, JSON.stringify({ v, got }));
          assert.match(got[0], re);
          assert.match(got[0], /an Elastic IP is attached \(nat-eip\)/);
        }
      });

      it("an ordinary instance with a launch-time public IP is a violation; without any public address it passes", async () => {
        const got = await findings({
          links,
          tag: false,
          forwarding: false,
          address: "associatePublicIpAddress",
        });
        assert.equal(got.length, 1);
        assert.match(got[0], /associatePublicIpAddress is true/);
        assert.deepEqual(
          await findings({ links, tag: false, forwarding: false, publicSubnet: false, address: "none" }),
          [],
        );
      });
    });
  }
});

describe("aws-ec2-imdsv2: instances and launch templates", () => {
  const run = async (type: string, props: Record<string, unknown>) =>
    (await analyze(type, props)).filter((d) => d.policy === "aws-ec2-imdsv2").map((d) => d.message);
  const LT = "aws:ec2/launchTemplate:LaunchTemplate";

  it("IMDSv1 allowed (optional or unset tokens) is a violation; required tokens or no endpoint pass", async () => {
    assert.match(
      (await run(LT, { metadataOptions: { httpTokens: "optional" } }))[0],
      /"optional"; "required" expected/,
    );
    assert.match((await run(LT, {}))[0], /unset \(optional: IMDSv1 allowed\)/);
    assert.deepEqual(await run(LT, { metadataOptions: { httpTokens: "required" } }), []);
    assert.deepEqual(
      await run("aws:ec2/instance:Instance", { metadataOptions: { httpEndpoint: "disabled" } }),
      [],
    );
  });
});

import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { inputsOf, promiseOf } from "../../infra/offline/testing";
import {
  NAT_INSTANCE_AMI_PARAMETER,
  NAT_INSTANCE_TAG,
  natInstanceUserData,
  resolveNatInstance,
} from "./natInstance";
import { NAT_INSTANCE_TAG as PACK_NAT_TAG } from "../../policies/rules/aws/ec2Instances";
import { type Built, networkSuite, T } from "./network.testkit";

const { build } = networkSuite();
const INSTANCE = "aws:ec2/instance:Instance";
const PROFILE = "aws:iam/instanceProfile:InstanceProfile";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";

describe("aws Network NAT instance (mocks)", () => {
  describe("natStrategy instance, 3 AZs", () => {
    let b: Built;
    before(async () => {
      b = await build("net-ni", { azCount: 3, natStrategy: "instance" });
    });

    it("one hardened Graviton instance in the first public subnet, forwarding (source/dest check off)", () => {
      const i = inputsOf(b.one(INSTANCE));
      assert.equal(b.one(INSTANCE).name, "net-ni-nat-instance");
      assert.equal(i.instanceType, "t4g.nano");
      assert.equal(i.subnetId, b.byName("public-a").id);
      assert.equal(i.sourceDestCheck, false);
      assert.equal(i.associatePublicIpAddress, false);
      assert.equal(i.keyName, undefined, "no SSH key");
      assert.deepEqual(i.metadataOptions, {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      });
      assert.deepEqual(i.rootBlockDevice, {
        volumeType: "gp3",
        volumeSize: 8,
        encrypted: true,
        deleteOnTermination: true,
      });
      assert.deepEqual(i.maintenanceOptions, { autoRecovery: "default" });
      assert.equal(i.userDataReplaceOnChange, true);
      assert.equal(i.tags[NAT_INSTANCE_TAG.key], NAT_INSTANCE_TAG.value);
      // The policy pack's aws-ec2-no-public-ip exception reads the same tag.
      assert.deepEqual(NAT_INSTANCE_TAG, PACK_NAT_TAG);
      assert.deepEqual(b.all(T.nat), [], "no NAT gateway");
    });

    it("the AMI comes from AWS's public SSM parameter: offline a visible placeholder, never an AMI-shaped id", () => {
      assert.equal(
        NAT_INSTANCE_AMI_PARAMETER,
        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
      );
      // The engine answers a data source it has no model for with an `offline-placeholder-…` value (and a
      // warning); a real deployment reads the actual id. Never something that looks like a real "ami-…".
      const ami = String(inputsOf(b.one(INSTANCE)).ami);
      assert.match(ami, /^offline-placeholder-/);
      assert.doesNotMatch(ami, /^ami-/);
    });

    it("every private route table's default route targets the instance's network interface", async () => {
      const eni = String(b.one(INSTANCE).outputs.primaryNetworkInterfaceId);
      assert.match(eni, /^eni-/);
      for (const letter of ["a", "b", "c"]) {
        const routes = b.routesOf(b.tableOf(`private-${letter}`));
        assert.equal(routes.length, 1, `private-${letter}`);
        assert.equal(routes[0].name, `net-ni-private-${letter}-egress`);
        assert.equal(inputsOf(routes[0]).destinationCidrBlock, "0.0.0.0/0");
        assert.equal(inputsOf(routes[0]).networkInterfaceId, eni);
        assert.equal(inputsOf(routes[0]).natGatewayId, undefined);
      }
      assert.deepEqual(b.routesOf(b.byName("isolated-rt")), []);
      const eip = b.byName("nat-instance-eip");
      assert.equal(inputsOf(eip).networkInterface, eni);
      assert.equal(inputsOf(eip).domain, "vpc");
      assert.deepEqual(await promiseOf(b.net.natPublicIps), [eip.outputs.publicIp]);
      assert.deepEqual((await promiseOf(pulumi.output(b.net.outputs))).egress, {
        strategy: "instance",
        natGateways: 0,
      });
    });

    it("security group: HTTPS from the private subnets only in, HTTPS only out", () => {
      const sg = b.byName("nat-instance-sg");
      assert.deepEqual(inputsOf(b.one(INSTANCE)).vpcSecurityGroupIds, [sg.id]);
      const privateCidrs = ["a", "b", "c"].map((l) => inputsOf(b.byName(`private-${l}`)).cidrBlock);
      const { ingress, egress } = inputsOf(sg);
      assert.equal(ingress.length, 1);
      assert.deepEqual([ingress[0].protocol, ingress[0].fromPort, ingress[0].toPort], ["tcp", 443, 443]);
      assert.deepEqual(ingress[0].cidrBlocks, privateCidrs);
      assert.equal(egress.length, 1);
      assert.deepEqual([egress[0].protocol, egress[0].fromPort, egress[0].toPort], ["tcp", 443, 443]);
    });

    it("instance role: trusted by EC2 only, Session Manager's managed policy only, in the posture", async () => {
      const role = b.byName("nat-instance-role");
      const trust = JSON.parse(inputsOf(role).assumeRolePolicy);
      assert.deepEqual(trust.Statement[0].Principal, { Service: "ec2.amazonaws.com" });
      const attachments = b.all(ATTACHMENT).filter((a) => inputsOf(a).role === role.outputs.name);
      assert.deepEqual(
        attachments.map((a) => inputsOf(a).policyArn),
        ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
      );
      assert.equal(inputsOf(b.one(PROFILE)).role, role.outputs.name);
      assert.equal(inputsOf(b.one(INSTANCE)).iamInstanceProfile, b.one(PROFILE).outputs.name);
      const ids = await promiseOf(pulumi.output(b.net.identities));
      const mine = ids.find((x) => x.name === role.outputs.name);
      assert.ok(mine, "the NAT instance role is in the posture identities");
      assert.deepEqual(mine.trust, ["ec2.amazonaws.com"]);
      assert.match(mine.permissions[0], /AmazonSSMManagedInstanceCore/);
    });

    it("the boot script forwards and masquerades exactly the private subnets' HTTPS", () => {
      const privateCidrs = ["a", "b", "c"].map((l) => inputsOf(b.byName(`private-${l}`)).cidrBlock);
      assert.equal(inputsOf(b.one(INSTANCE)).userData, natInstanceUserData(privateCidrs));
      const script = natInstanceUserData(["10.40.0.0/19", "10.40.32.0/19"]);
      assert.match(script, /^#!\/bin\/bash\n/);
      assert.match(script, /net\.ipv4\.ip_forward = 1/);
      assert.match(script, /elements = \{ 10\.40\.0\.0\/19, 10\.40\.32\.0\/19 \}/);
      assert.match(script, /policy drop;/);
      assert.match(script, /ip saddr @private tcp dport 443 ct state new accept/);
      assert.match(script, /oifname "\$IFACE" ip saddr @private masquerade/);
      assert.match(script, /systemctl enable --now nftables/);
    });
  });

  it("a pinned AMI and a bigger type are used as given; no SSM lookup result needed", async () => {
    const b = await build("net-pin", {
      natStrategy: "instance",
      natInstance: { ami: "ami-0123456789abcdef0", instanceType: "t4g.micro" },
    });
    const i = inputsOf(b.one(INSTANCE));
    assert.equal(i.ami, "ami-0123456789abcdef0");
    assert.equal(i.instanceType, "t4g.micro");
  });

  it("the other strategies create no NAT instance", async () => {
    const b = await build("net-single", { natStrategy: "single" });
    assert.deepEqual(b.all(INSTANCE), []);
    assert.deepEqual(b.all(PROFILE), []);
  });

  describe("validation (pure)", () => {
    it("defaults", () => {
      assert.deepEqual(resolveNatInstance(), { instanceType: "t4g.nano", ami: undefined, rootVolumeGb: 8 });
    });
    it("errors name the field, the value and what is allowed", () => {
      assert.throws(
        () => resolveNatInstance({ instanceType: "t3.nano" }),
        /natInstance\.instanceType is "t3\.nano"; allowed: a Graviton/,
      );
      assert.throws(
        () => resolveNatInstance({ ami: "ami-123" }),
        /natInstance\.ami is "ami-123"; allowed: an AMI id/,
      );
      assert.throws(
        () => resolveNatInstance({ rootVolumeGb: 4 }),
        /natInstance\.rootVolumeGb is 4; allowed: an integer from 8 to 64/,
      );
      for (const ok of ["t4g.nano", "c7gn.medium", "m7g.large", "c6g.2xlarge"])
        assert.equal(resolveNatInstance({ instanceType: ok }).instanceType, ok);
      assert.throws(() => natInstanceUserData([]), /no private CIDRs/);
    });
    it("natInstance without natStrategy instance is refused by the Network", async () => {
      await assert.rejects(
        build("net-bad", { natStrategy: "single", natInstance: {} }),
        /natInstance is set but natStrategy is "single"; allowed: natInstance only with natStrategy "instance"/,
      );
    });
  });
});

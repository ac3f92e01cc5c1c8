import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { inputsOf, promiseOf } from "../../infra/offline/testing";
import { type Built, networkSuite, subnetLayout, T, TAGS, UNTAGGABLE } from "./network.testkit";

const { suite, build } = networkSuite();

describe("aws Network (mocks)", () => {
  describe("defaults: 2 AZs, single NAT", () => {
    let b: Built;
    before(async () => {
      b = await build("net-default");
    });

    it("creates the VPC with DNS support and hostnames", () => {
      const v = inputsOf(b.one(T.vpc));
      assert.equal(b.one(T.vpc).name, "net-default-vpc");
      assert.equal(v.cidrBlock, "10.40.0.0/16");
      assert.equal(v.enableDnsSupport, true);
      assert.equal(v.enableDnsHostnames, true);
    });

    it("creates public, private and isolated subnets in the first two AZs, with the planned CIDRs", () => {
      assert.deepEqual(subnetLayout(b, "net-default"), {
        "public-a": ["10.40.128.0/21", "us-east-1a", "public"],
        "public-b": ["10.40.136.0/21", "us-east-1b", "public"],
        "private-a": ["10.40.0.0/19", "us-east-1a", "private"],
        "private-b": ["10.40.32.0/19", "us-east-1b", "private"],
        "isolated-a": ["10.40.160.0/21", "us-east-1a", "isolated"],
        "isolated-b": ["10.40.168.0/21", "us-east-1b", "isolated"],
      });
      for (const s of b.all(T.subnet)) {
        assert.equal(inputsOf(s).mapPublicIpOnLaunch, false, `${s.name} maps public IPs`);
        assert.equal(inputsOf(s).vpcId, b.one(T.vpc).id);
      }
    });

    it("routes the public subnets to the internet gateway through one route table", () => {
      const rt = b.byName("public-rt");
      assert.equal(b.tableOf("public-a"), rt);
      assert.equal(b.tableOf("public-b"), rt);
      assert.equal(inputsOf(rt).tags.tier, "public");
      const routes = b.routesOf(rt);
      assert.equal(routes.length, 1);
      assert.equal(inputsOf(routes[0]).destinationCidrBlock, "0.0.0.0/0");
      assert.equal(inputsOf(routes[0]).gatewayId, b.one(T.igw).id);
      assert.equal(inputsOf(b.one(T.igw)).vpcId, b.one(T.vpc).id);
    });

    it("gives the isolated subnets one route table with no route to the internet", () => {
      const rt = b.byName("isolated-rt");
      assert.equal(b.tableOf("isolated-a"), rt);
      assert.equal(b.tableOf("isolated-b"), rt);
      assert.equal(inputsOf(rt).tags.tier, "isolated");
      assert.deepEqual(b.routesOf(rt), []);
      assert.equal(inputsOf(rt).routes, undefined);
      assert.equal(b.all(T.routeTable).length, 4);
    });

    it("strips every rule from the default security group", () => {
      const sg = inputsOf(b.one(T.defaultSg));
      assert.equal(sg.vpcId, b.one(T.vpc).id);
      assert.deepEqual(sg.ingress ?? [], []);
      assert.deepEqual(sg.egress ?? [], []);
    });

    it("tags every taggable resource with the given tags plus its Name", () => {
      const custom = b.children.filter((r) => r.custom);
      assert.ok(custom.length >= 25, `only ${custom.length} resources`);
      for (const r of custom) {
        const tags = inputsOf(r).tags;
        if (UNTAGGABLE.has(r.type)) {
          assert.equal(tags, undefined, `${r.name} (${r.type}) is not taggable`);
          continue;
        }
        assert.ok(tags, `${r.name} (${r.type}) has no tags`);
        for (const [k, v] of Object.entries(TAGS)) assert.equal(tags[k], v, `${r.name} tag ${k}`);
        assert.equal(tags.Name, r.name, `${r.name} Name tag`);
      }
    });

    it("parents every child to the component", () => {
      for (const r of b.children) assert.equal(r.parent, b.urn, `${r.name} is not a direct child`);
    });

    it("exposes the outputs", async () => {
      const n = b.net;
      assert.equal(await promiseOf(n.vpcId), b.one(T.vpc).id);
      assert.equal(await promiseOf(n.vpcCidr), "10.40.0.0/16");
      assert.deepEqual(await promiseOf(n.publicSubnetIds), [
        b.byName("public-a").id,
        b.byName("public-b").id,
      ]);
      assert.deepEqual(await promiseOf(n.privateSubnetIds), [
        b.byName("private-a").id,
        b.byName("private-b").id,
      ]);
      assert.deepEqual(await promiseOf(n.isolatedSubnetIds), [
        b.byName("isolated-a").id,
        b.byName("isolated-b").id,
      ]);
      assert.deepEqual(await promiseOf(n.availabilityZones), ["us-east-1a", "us-east-1b"]);
      assert.deepEqual(await promiseOf(n.natGatewayIds), [b.one(T.nat).id]);
      assert.deepEqual(await promiseOf(n.natPublicIps), [b.one(T.eip).outputs.publicIp]);
      assert.match((await promiseOf(n.natPublicIps))[0], /^\d+\.\d+\.\d+\.\d+$/);
      assert.equal(await promiseOf(n.flowLogGroupName), "/meridian/net-default/vpc-flow-logs");
      assert.equal(await promiseOf(n.s3EndpointId), b.byName("s3").id);
      assert.equal(await promiseOf(n.defaultSecurityGroupId), b.one(T.defaultSg).id);
      assert.deepEqual(await promiseOf(n.interfaceEndpointIds), {});
      assert.deepEqual(await promiseOf(n.routeTableIds), {
        public: b.byName("public-rt").id,
        private: [b.byName("private-a-rt").id, b.byName("private-b-rt").id],
        isolated: b.byName("isolated-rt").id,
      });
    });

    it("resolves the outputs contract and posture to the documented shape", async () => {
      const outputs = await promiseOf(pulumi.output(b.net.outputs));
      assert.deepEqual(outputs, {
        cloud: "aws",
        region: "us-east-1",
        networkId: b.one(T.vpc).id,
        networkName: "net-default-vpc",
        zones: ["us-east-1a", "us-east-1b"],
        subnets: {
          public: [b.byName("public-a").id, b.byName("public-b").id],
          private: [b.byName("private-a").id, b.byName("private-b").id],
          isolated: [b.byName("isolated-a").id, b.byName("isolated-b").id],
        },
        egress: { strategy: "single", natGateways: 1 },
        cidrs: {
          vpc: "10.40.0.0/16",
          "public-a": "10.40.128.0/21",
          "public-b": "10.40.136.0/21",
          "private-a": "10.40.0.0/19",
          "private-b": "10.40.32.0/19",
          "isolated-a": "10.40.160.0/21",
          "isolated-b": "10.40.168.0/21",
        },
      });
      assert.equal(outputs.networkName, inputsOf(b.one(T.vpc)).tags.Name);
      assert.deepEqual(b.net.posture, {
        flowLogs: {
          enabled: true,
          destination: "cloudwatch-logs:/meridian/net-default/vpc-flow-logs",
          retentionDays: 30,
        },
        denyByDefaultIngress: true,
        privateApiAccess: ["s3-gateway-endpoint"],
        isolatedTier: true,
      });
      const identities = await promiseOf(pulumi.output(b.net.identities));
      assert.equal(identities.length, 1);
      assert.equal(identities[0].name, b.one(T.role).outputs.name);
      assert.deepEqual(identities[0].trust, ["vpc-flow-logs.amazonaws.com"]);
      assert.equal(identities[0].permissions.length, 3);
      // The component registers its outputs.
      const registered = suite.session.byUrn(b.urn)!.outputs;
      for (const k of [
        "vpcId",
        "publicSubnetIds",
        "privateSubnetIds",
        "isolatedSubnetIds",
        "outputs",
        "posture",
      ]) {
        assert.ok(k in registered, `registerOutputs lacks ${k}`);
      }
    });
  });

  describe("options", () => {
    it("applies transforms in object and function form to the children", async () => {
      const seen: string[] = [];
      const b = await build("net-tf", {
        transform: {
          vpc: { enableNetworkAddressUsageMetrics: true },
          subnet: (args, _opts, name) => {
            seen.push(name);
            if (name.endsWith("-isolated-a"))
              args.tags = { ...(args.tags as Record<string, string>), pci: "true" };
          },
          flowLog: (args) => {
            args.maxAggregationInterval = 60;
          },
          flowLogGroup: { logGroupClass: "STANDARD" },
          natGateway: (_args, opts) => {
            opts.protect = true;
          },
        },
      });
      assert.equal(inputsOf(b.one(T.vpc)).enableNetworkAddressUsageMetrics, true);
      assert.equal(inputsOf(b.one(T.vpc)).cidrBlock, "10.40.0.0/16", "object form merges, not replaces");
      assert.deepEqual(seen.sort(), [
        "net-tf-isolated-a",
        "net-tf-isolated-b",
        "net-tf-private-a",
        "net-tf-private-b",
        "net-tf-public-a",
        "net-tf-public-b",
      ]);
      assert.equal(inputsOf(b.byName("isolated-a")).tags.pci, "true");
      assert.equal(inputsOf(b.byName("isolated-b")).tags.pci, undefined);
      assert.equal(inputsOf(b.one(T.flowLog)).maxAggregationInterval, 60);
      assert.equal(inputsOf(b.one(T.logGroup)).logGroupClass, "STANDARD");
      assert.equal(inputsOf(b.one(T.logGroup)).retentionInDays, 30);
      assert.equal(b.one(T.nat).options.protect, true);
      assert.equal(b.one(T.nat).parent, b.urn, "a transform keeps the parent");
    });
  });

  describe("stability: options never rename or move subnets", () => {
    /** Everything that must not change: subnets (name suffix, CIDR, AZ, tier), route tables, associations. */
    const identity = (b: Built, name: string) => ({
      subnets: subnetLayout(b, name),
      routeTables: b.suffixes(T.routeTable),
      associations: b.suffixes(T.association),
      vpc: inputsOf(b.one(T.vpc)).cidrBlock,
    });

    it("natStrategy, flow log and endpoint options change neither subnet names, CIDRs nor route tables", async () => {
      const a = await build("stable-a", { azCount: 3, natStrategy: "single" });
      const z = await build("stable-z", {
        azCount: 3,
        natStrategy: "perAz",
        interfaceEndpoints: ["sts"],
        flowLogs: { retentionDays: 365, trafficType: "REJECT", maxAggregationInterval: 60 },
      });
      const n = await build("stable-n", { azCount: 3, natStrategy: "none" });
      assert.deepEqual(identity(z, "stable-z"), identity(a, "stable-a"));
      assert.deepEqual(identity(n, "stable-n"), identity(a, "stable-a"));
      // single -> perAz only adds NATs and EIPs; the existing one keeps its name and subnet.
      assert.deepEqual(a.suffixes(T.nat), ["nat-a"]);
      assert.deepEqual(z.suffixes(T.nat), ["nat-a", "nat-b", "nat-c"]);
      assert.deepEqual(z.suffixes(T.eip), ["nat-a-eip", "nat-b-eip", "nat-c-eip"]);
      const natA = (b: Built, name: string) => {
        const { subnetId, connectivityType } = inputsOf(b.byName("nat-a"));
        const subnet = b.all(T.subnet).find((s) => s.id === subnetId)!;
        return { subnet: subnet.name.slice(name.length + 1), connectivityType };
      };
      assert.deepEqual(natA(z, "stable-z"), natA(a, "stable-a"));
      // The private routes keep their names; only their target differs.
      assert.deepEqual(z.suffixes(T.route), a.suffixes(T.route));
      assert.deepEqual(n.suffixes(T.route), ["public-internet"]);
      // The other children keep their names too (the flow log settings are updates, not renames).
      const names = (b: Built, types: string[]) => types.flatMap((t) => b.suffixes(t));
      const fixed = [T.vpc, T.igw, T.defaultSg, T.logGroup, T.role, T.rolePolicy, T.flowLog];
      assert.deepEqual(names(z, fixed), names(a, fixed));
      assert.deepEqual(s3Tables(z, "stable-z"), s3Tables(a, "stable-a"));
    });

    it("azCount 2 -> 3 keeps the first two AZs' subnets, route tables and NAT identical", async () => {
      const two = await build("grow-2", { azCount: 2, natStrategy: "perAz" });
      const three = await build("grow-3", { azCount: 3, natStrategy: "perAz" });
      const l2 = subnetLayout(two, "grow-2");
      const l3 = subnetLayout(three, "grow-3");
      for (const [suffix, layout] of Object.entries(l2)) assert.deepEqual(l3[suffix], layout, suffix);
      assert.deepEqual(
        Object.keys(l3)
          .filter((k) => !(k in l2))
          .sort(),
        ["isolated-c", "private-c", "public-c"],
      );
      for (const rt of two.suffixes(T.routeTable)) assert.ok(three.suffixes(T.routeTable).includes(rt), rt);
      for (const nat of two.suffixes(T.nat)) assert.ok(three.suffixes(T.nat).includes(nat), nat);
    });

    /** The route tables (by name suffix) the S3 endpoint is attached to. */
    function s3Tables(b: Built, name: string): string[] {
      const ids = inputsOf(b.byName("s3")).routeTableIds as string[];
      return ids
        .map((id) =>
          b
            .all(T.routeTable)
            .find((t) => t.id === id)!
            .name.slice(name.length + 1),
        )
        .sort();
    }
  });
});

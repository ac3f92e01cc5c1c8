import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { awsZones } from "../../infra/offline/model/aws";
import {
  CapturedResource,
  componentSuite,
  inputsOf,
  ofType,
  promiseOf,
  TEST_TAGS,
} from "../../infra/offline/testing";
import type * as NetworkModule from "./network";

const T = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  igw: "aws:ec2/internetGateway:InternetGateway",
  routeTable: "aws:ec2/routeTable:RouteTable",
  route: "aws:ec2/route:Route",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  eip: "aws:ec2/eip:Eip",
  nat: "aws:ec2/natGateway:NatGateway",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
} as const;

/** Resource types that take no tags in the AWS API. */
const UNTAGGABLE = new Set<string>([T.route, T.association, T.rolePolicy]);

const TAGS = TEST_TAGS;
const ACCOUNT = "123456789012";

// Import the component only after the mocks are in place.
const suite = componentSuite({ load: () => import("./network") });

type Args = Partial<NetworkModule.NetworkArgs>;

/** Creates a Network, waits for every registration, and indexes its children. */
async function build(name: string, args: Args = {}) {
  const c = await suite.capture(new suite.mod.Network(name, { tags: TAGS, ...args }));
  const { all } = c;
  /** The child named `<component>-<suffix>`. */
  const byName = (suffix: string): CapturedResource => c.byName(`${name}-${suffix}`);
  /** Logical names of a type with the component name stripped (`private-a`), sorted. */
  const suffixes = (type: string) =>
    all(type)
      .map((r) => r.name.slice(name.length + 1))
      .sort();
  /** The route table a subnet is associated with. */
  const tableOf = (subnetSuffix: string): CapturedResource => {
    const subnetId = byName(subnetSuffix).id;
    const assoc = all(T.association).filter((a) => inputsOf(a).subnetId === subnetId);
    assert.equal(assoc.length, 1, `${subnetSuffix} has ${assoc.length} route table associations`);
    const rt = all(T.routeTable).find((t) => t.id === inputsOf(assoc[0]).routeTableId);
    assert.ok(rt, `${subnetSuffix}'s route table is not a child`);
    return rt;
  };
  /** Routes (separate aws.ec2.Route resources) of a route table. */
  const routesOf = (rt: CapturedResource) => all(T.route).filter((r) => inputsOf(r).routeTableId === rt.id);
  return { ...c, net: c.component, byName, suffixes, tableOf, routesOf };
}

type Built = Awaited<ReturnType<typeof build>>;

/** Subnet plan as seen in the registrations: suffix -> [cidr, AZ, tier tag]. */
function subnetLayout(b: Built, name: string): Record<string, [string, string, string]> {
  return Object.fromEntries(
    b.all(T.subnet).map((s) => {
      const i = inputsOf(s);
      return [s.name.slice(name.length + 1), [i.cidrBlock, i.availabilityZone, i.tags.tier]];
    }),
  );
}

const policyOf = (json: string) => JSON.parse(json) as { Statement: Record<string, any>[] };
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

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

    it("gives each private subnet its own route table, default route to the single NAT", () => {
      const nat = b.one(T.nat);
      assert.equal(nat.name, "net-default-nat-a");
      assert.equal(inputsOf(nat).subnetId, b.byName("public-a").id);
      assert.equal(inputsOf(nat).allocationId, b.one(T.eip).outputs.allocationId);
      assert.equal(inputsOf(b.one(T.eip)).domain, "vpc");
      for (const letter of ["a", "b"]) {
        const rt = b.tableOf(`private-${letter}`);
        assert.equal(rt.name, `net-default-private-${letter}-rt`);
        assert.equal(inputsOf(rt).tags.tier, "private");
        assert.equal(inputsOf(rt).routes, undefined, "no inline routes");
        const routes = b.routesOf(rt);
        assert.equal(routes.length, 1);
        assert.equal(inputsOf(routes[0]).destinationCidrBlock, "0.0.0.0/0");
        assert.equal(inputsOf(routes[0]).natGatewayId, nat.id);
      }
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

    it("attaches the S3 gateway endpoint to every route table", () => {
      const s3 = inputsOf(b.byName("s3"));
      assert.equal(s3.vpcEndpointType, "Gateway");
      assert.equal(s3.serviceName, "com.amazonaws.us-east-1.s3");
      assert.equal(s3.vpcId, b.one(T.vpc).id);
      const expected = ["public-rt", "private-a-rt", "private-b-rt", "isolated-rt"].map(
        (n) => b.byName(n).id,
      );
      assert.deepEqual([...s3.routeTableIds].sort(), [...expected].sort());
      assert.equal(b.all(T.endpoint).length, 1, "no interface endpoints by default");
      assert.equal(b.all(T.securityGroup).length, 0);
    });

    it("strips every rule from the default security group", () => {
      const sg = inputsOf(b.one(T.defaultSg));
      assert.equal(sg.vpcId, b.one(T.vpc).id);
      assert.deepEqual(sg.ingress ?? [], []);
      assert.deepEqual(sg.egress ?? [], []);
    });

    it("sends flow logs to a log group with the default retention", () => {
      const lg = b.one(T.logGroup);
      assert.equal(inputsOf(lg).name, "/meridian/net-default/vpc-flow-logs");
      assert.equal(inputsOf(lg).retentionInDays, 30);
      assert.equal(inputsOf(lg).kmsKeyId, undefined);
      const fl = inputsOf(b.one(T.flowLog));
      assert.equal(fl.vpcId, b.one(T.vpc).id);
      assert.equal(fl.logDestinationType, "cloud-watch-logs");
      assert.equal(fl.logDestination, lg.outputs.arn);
      assert.equal(fl.iamRoleArn, b.one(T.role).outputs.arn);
      assert.equal(fl.trafficType, "ALL");
      assert.equal(fl.maxAggregationInterval, 600);
      assert.ok(
        b.one(T.flowLog).dependencies.includes(b.one(T.rolePolicy).urn),
        "flow log before its permissions",
      );
    });

    it("lets only the flow logs service of this account assume the role", () => {
      const doc = policyOf(inputsOf(b.one(T.role)).assumeRolePolicy);
      assert.equal(doc.Statement.length, 1);
      const st = doc.Statement[0];
      assert.equal(st.Effect, "Allow");
      assert.deepEqual(asList(st.Action), ["sts:AssumeRole"]);
      assert.deepEqual(st.Principal, { Service: "vpc-flow-logs.amazonaws.com" });
      assert.deepEqual(st.Condition, {
        StringEquals: { "aws:SourceAccount": ACCOUNT },
        ArnLike: { "aws:SourceArn": `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-flow-log/*` },
      });
    });

    it("allows the role exactly the three log actions, on the log group only", () => {
      const policy = inputsOf(b.one(T.rolePolicy));
      assert.equal(policy.role, b.one(T.role).id);
      const doc = policyOf(policy.policy);
      const arn = b.one(T.logGroup).outputs.arn as string;
      assert.equal(doc.Statement.length, 1);
      const st = doc.Statement[0];
      assert.equal(st.Effect, "Allow");
      assert.deepEqual([...asList(st.Action)].sort(), [
        "logs:CreateLogStream",
        "logs:DescribeLogStreams",
        "logs:PutLogEvents",
      ]);
      assert.deepEqual(asList(st.Resource), [arn, `${arn}:*`]);
      assert.match(arn, /^arn:aws:logs:us-east-1:\d{12}:log-group:\/meridian\/net-default\/vpc-flow-logs$/);
      assert.equal(st.Principal, undefined);
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

  describe("NAT strategies", () => {
    it("perAz with 3 AZs: one NAT per AZ, each private subnet routes through its own AZ's NAT", async () => {
      const b = await build("net-peraz", { azCount: 3, natStrategy: "perAz" });
      assert.equal(b.all(T.subnet).length, 9);
      assert.deepEqual(b.suffixes(T.nat), ["nat-a", "nat-b", "nat-c"]);
      assert.deepEqual(b.suffixes(T.eip), ["nat-a-eip", "nat-b-eip", "nat-c-eip"]);
      for (const letter of ["a", "b", "c"]) {
        const nat = b.byName(`nat-${letter}`);
        assert.equal(
          inputsOf(nat).subnetId,
          b.byName(`public-${letter}`).id,
          `nat-${letter} in public-${letter}`,
        );
        assert.equal(inputsOf(nat).allocationId, b.byName(`nat-${letter}-eip`).outputs.allocationId);
        const routes = b.routesOf(b.tableOf(`private-${letter}`));
        assert.equal(routes.length, 1);
        assert.equal(inputsOf(routes[0]).destinationCidrBlock, "0.0.0.0/0");
        assert.equal(
          inputsOf(routes[0]).natGatewayId,
          nat.id,
          `private-${letter} routes through nat-${letter}`,
        );
      }
      assert.deepEqual(b.routesOf(b.byName("isolated-rt")), []);
      const outputs = await promiseOf(pulumi.output(b.net.outputs));
      assert.deepEqual(outputs.egress, { strategy: "perAz", natGateways: 3 });
      assert.equal((await promiseOf(b.net.natPublicIps)).length, 3);
    });

    it("single with 3 AZs: every private subnet routes through the one NAT in the first AZ", async () => {
      const b = await build("net-single3", { azCount: 3, natStrategy: "single" });
      const nat = b.one(T.nat);
      assert.equal(inputsOf(nat).subnetId, b.byName("public-a").id);
      for (const letter of ["a", "b", "c"]) {
        const routes = b.routesOf(b.tableOf(`private-${letter}`));
        assert.deepEqual(
          routes.map((r) => inputsOf(r).natGatewayId),
          [nat.id],
        );
      }
    });

    it("none: no NAT, no EIP, and no default route in the private route tables", async () => {
      const b = await build("net-none", { natStrategy: "none" });
      assert.equal(b.all(T.nat).length, 0);
      assert.equal(b.all(T.eip).length, 0);
      for (const letter of ["a", "b"]) assert.deepEqual(b.routesOf(b.tableOf(`private-${letter}`)), []);
      // Still one private route table per AZ, so adding NAT later only adds routes.
      assert.deepEqual(b.suffixes(T.routeTable), [
        "isolated-rt",
        "private-a-rt",
        "private-b-rt",
        "public-rt",
      ]);
      // The only route left is the public one.
      assert.deepEqual(b.suffixes(T.route), ["public-internet"]);
      assert.deepEqual(await promiseOf(b.net.natGatewayIds), []);
      assert.deepEqual(await promiseOf(b.net.natPublicIps), []);
      assert.deepEqual((await promiseOf(pulumi.output(b.net.outputs))).egress, {
        strategy: "none",
        natGateways: 0,
      });
    });
  });

  describe("options", () => {
    it("explicit availabilityZones: subnets named after the AZ letters, in that order", async () => {
      const b = await build("net-explicit", {
        availabilityZones: ["us-east-1a", "us-east-1c", "us-east-1d"],
      });
      const layout = subnetLayout(b, "net-explicit");
      assert.deepEqual(layout["private-a"], ["10.40.0.0/19", "us-east-1a", "private"]);
      assert.deepEqual(layout["private-c"], ["10.40.32.0/19", "us-east-1c", "private"]);
      assert.deepEqual(layout["public-d"], ["10.40.144.0/21", "us-east-1d", "public"]);
      assert.deepEqual(b.suffixes(T.nat), ["nat-a"]);
      assert.deepEqual(await promiseOf(b.net.availabilityZones), ["us-east-1a", "us-east-1c", "us-east-1d"]);
    });

    it("interface endpoints: private subnets, private DNS, a security group allowing 443 from the VPC only", async () => {
      const b = await build("net-vpce", {
        cidr: "10.41.0.0/16",
        interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"],
      });
      const sg = b.one(T.securityGroup);
      const sgIn = inputsOf(sg);
      assert.equal(sgIn.vpcId, b.one(T.vpc).id);
      assert.deepEqual(
        sgIn.ingress.map((r: any) => [r.protocol, r.fromPort, r.toPort, r.cidrBlocks]),
        [["tcp", 443, 443, ["10.41.0.0/16"]]],
      );
      assert.deepEqual(sgIn.egress, []);
      assert.match(sgIn.description, /^[\x20-\x7e]+$/);
      assert.deepEqual(b.suffixes(T.endpoint), ["s3", "vpce-ecr-api", "vpce-ecr-dkr", "vpce-logs"]);
      const privateIds = [b.byName("private-a").id, b.byName("private-b").id];
      for (const svc of ["ecr.api", "ecr.dkr", "logs"]) {
        const e = inputsOf(b.byName(`vpce-${svc.replace(".", "-")}`));
        assert.equal(e.vpcEndpointType, "Interface");
        assert.equal(e.serviceName, `com.amazonaws.us-east-1.${svc}`);
        assert.equal(e.privateDnsEnabled, true);
        assert.deepEqual(e.subnetIds, privateIds);
        assert.deepEqual(e.securityGroupIds, [sg.id]);
      }
      assert.deepEqual(b.net.posture.privateApiAccess, ["s3-gateway-endpoint", "ecr.api", "ecr.dkr", "logs"]);
      assert.deepEqual(Object.keys(await promiseOf(b.net.interfaceEndpointIds)), [
        "ecr.api",
        "ecr.dkr",
        "logs",
      ]);
    });

    it("flow log options reach the log group and the flow log", async () => {
      const kmsKeyArn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
      const b = await build("net-fl", {
        flowLogs: { retentionDays: 90, trafficType: "REJECT", maxAggregationInterval: 60, kmsKeyArn },
      });
      assert.equal(inputsOf(b.one(T.logGroup)).retentionInDays, 90);
      assert.equal(inputsOf(b.one(T.logGroup)).kmsKeyId, kmsKeyArn);
      assert.equal(inputsOf(b.one(T.flowLog)).trafficType, "REJECT");
      assert.equal(inputsOf(b.one(T.flowLog)).maxAggregationInterval, 60);
      assert.equal(b.net.posture.flowLogs.retentionDays, 90);
    });

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

  describe("validation (synchronous, before any resource)", () => {
    const throwsSync = (args: Args, pattern: RegExp) => {
      const before = suite.session.resources.length;
      assert.throws(() => new suite.mod.Network("net-invalid", { tags: TAGS, ...args }), pattern);
      assert.equal(suite.session.resources.length, before, "a failed validation registered resources");
    };

    it("rejects a bad cidr, naming `cidr` and the value", () => {
      throwsSync(
        { cidr: "10.40.0.0/24" },
        /Network "net-invalid": cidr "10\.40\.0\.0\/24" is a \/24; allowed: \/16 to \/22/,
      );
      throwsSync({ cidr: "10.40.1.0/16" }, /cidr "10\.40\.1\.0\/16" has host bits set.*"10\.40\.0\.0\/16"/);
      throwsSync({ cidr: "10.40.0.0" }, /cidr "10\.40\.0\.0" is not an IPv4 CIDR/);
      throwsSync({ cidr: "100.64.0.0/16" }, /cidr "100\.64\.0\.0\/16" is not an RFC 1918 private range/);
    });

    it("rejects azCount outside 2-4, naming `azCount`", () => {
      throwsSync({ azCount: 5 }, /azCount is 5; allowed: an integer from 2 to 4/);
      throwsSync({ azCount: 1 }, /azCount is 1; allowed/);
      throwsSync({ azCount: 2.5 }, /azCount is 2\.5; allowed/);
    });

    it("rejects azCount together with availabilityZones", () => {
      throwsSync(
        { azCount: 2, availabilityZones: ["us-east-1a", "us-east-1b"] },
        /azCount \(2\) and availabilityZones \(\["us-east-1a","us-east-1b"\]\) are mutually exclusive/,
      );
    });

    it("rejects bad availabilityZones lists", () => {
      throwsSync(
        { availabilityZones: ["us-east-1a"] },
        /availabilityZones is \["us-east-1a"\]; allowed: a list of 2 to 4/,
      );
      throwsSync({ availabilityZones: ["us-east-1a", "use1-az2"] }, /availabilityZones contains "use1-az2"/);
      throwsSync(
        { availabilityZones: ["us-east-1a", "us-east-1a"] },
        /availabilityZones lists "us-east-1a" twice/,
      );
      throwsSync({ availabilityZones: ["us-east-1a", "eu-west-1b"] }, /availabilityZones mixes regions/);
    });

    it("rejects a retention CloudWatch does not accept, naming `flowLogs.retentionDays`", () => {
      throwsSync(
        { flowLogs: { retentionDays: 45 } },
        /flowLogs\.retentionDays is 45; allowed \(CloudWatch Logs\): 1, 3, 5, 7, 14, 30/,
      );
      throwsSync({ flowLogs: { retentionDays: 0 } }, /flowLogs\.retentionDays is 0/);
    });

    it("rejects other bad options, naming each", () => {
      throwsSync(
        { natStrategy: "perAZ" as never },
        /natStrategy is "perAZ"; allowed: "none", "single", "perAz"/,
      );
      throwsSync(
        { flowLogs: { trafficType: "all" as never } },
        /flowLogs\.trafficType is "all"; allowed: "ALL", "ACCEPT", "REJECT"/,
      );
      throwsSync(
        { flowLogs: { maxAggregationInterval: 300 as never } },
        /flowLogs\.maxAggregationInterval is 300; allowed: 60, 600/,
      );
      throwsSync(
        { flowLogs: { kmsKeyArn: "alias/logs" } },
        /flowLogs\.kmsKeyArn is "alias\/logs"; allowed: a KMS key ARN/,
      );
      throwsSync({ interfaceEndpoints: ["s3"] }, /interfaceEndpoints contains "s3"; S3 is already reached/);
      throwsSync(
        { interfaceEndpoints: ["com.amazonaws.us-east-1.sts"] },
        /interfaceEndpoints contains "com\.amazonaws\.us-east-1\.sts"/,
      );
      throwsSync({ interfaceEndpoints: ["sts", "sts"] }, /interfaceEndpoints lists "sts" twice/);
      throwsSync({ tags: undefined as never }, /tags is undefined; allowed: a map of strings/);
    });
  });

  describe("pure helpers", () => {
    it("planNat: which zones get a NAT and where each private subnet routes", () => {
      assert.deepEqual(suite.mod.planNat("none", 3), {
        gateways: [],
        routeTo: [undefined, undefined, undefined],
      });
      assert.deepEqual(suite.mod.planNat("single", 3), { gateways: [0], routeTo: [0, 0, 0] });
      assert.deepEqual(suite.mod.planNat("perAz", 3), { gateways: [0, 1, 2], routeTo: [0, 1, 2] });
    });

    it("selectZones: a region with too few AZs fails, naming azCount, the region's AZs and the count", () => {
      const usWest1 = awsZones("us-west-1");
      assert.throws(
        () => suite.mod.selectZones(usWest1, "us-west-1", { azCount: 3 }),
        /azCount is 3 but region us-west-1 has only 2 available AZs \(us-west-1a, us-west-1c\); set azCount to at most 2/,
      );
      assert.deepEqual(suite.mod.selectZones(usWest1, "us-west-1", { azCount: 2 }), [
        "us-west-1a",
        "us-west-1c",
      ]);
      assert.deepEqual(suite.mod.selectZones(awsZones("us-east-1"), "us-east-1", { azCount: 3 }), [
        "us-east-1a",
        "us-east-1b",
        "us-east-1c",
      ]);
      assert.throws(
        () =>
          suite.mod.selectZones(usWest1, "us-west-1", { availabilityZones: ["us-west-1a", "us-west-1b"] }),
        /availabilityZones "us-west-1b" is not available in region us-west-1, which has 2 available AZs: us-west-1a, us-west-1c/,
      );
    });

    it("resolveNetworkArgs applies the documented defaults", () => {
      const s = suite.mod.resolveNetworkArgs({ tags: TAGS });
      assert.equal(s.cidr, "10.40.0.0/16");
      assert.deepEqual(s.zones, { azCount: 2 });
      assert.equal(s.natStrategy, "single");
      assert.deepEqual(s.interfaceEndpoints, []);
      assert.deepEqual(s.flowLogs, {
        retentionDays: 30,
        trafficType: "ALL",
        maxAggregationInterval: 600,
        kmsKeyArn: undefined,
      });
      assert.deepEqual(s.zoneLetters, ["a", "b"]);
    });
  });

  // Keep last: a region that cannot satisfy the AZ request fails the deployment, which leaves the failed
  // registrations pending in this process (so no `settle()` here, and nothing may run after it).
  describe("region without the requested AZs (runs last)", () => {
    after(() => {
      // The registrations that failed stay pending in the mock monitor, and at exit the SDK would report them
      // as leaked promises and set exit code 1 (a real engine reports the error and stops instead). They are
      // the expected outcome of this test, so clear the SDK's leak list.
      const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { leakedPromises(): unknown };
      debuggable.leakedPromises();
    });

    it("fails clearly, before any subnet is registered, when the AZs are not in the region", async () => {
      const net = new suite.mod.Network("net-west", {
        tags: TAGS,
        availabilityZones: ["us-west-1a", "us-west-1c"],
      });
      await assert.rejects(rejectionOf(net.availabilityZones), (e: Error) => {
        assert.match(
          e.message,
          /^Network "net-west": availabilityZones "us-west-1a", "us-west-1c" are not available in region us-east-1, which has 6 available AZs: us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f/,
        );
        return true;
      });
      const urn = await promiseOf(net.urn);
      assert.deepEqual(
        ofType(suite.session, T.subnet).filter((s) => s.parent === urn),
        [],
      );
    });
  });
});

/** The settled value of an output as a promise, which rejects when the output does. */
function rejectionOf<T>(output: pulumi.Output<T>): Promise<T> {
  // Output#promise is the SDK's own accessor for an output's settled value (including a rejection).
  return (output as unknown as { promise(): Promise<T> }).promise();
}

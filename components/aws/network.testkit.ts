/**
 * What the AWS Network's mock suites share (network, NAT gateways, VPC endpoints, flow logs, settings): the
 * resource types, the types that take no tags, and {@link networkSuite}, which starts the offline runtime for
 * one test file and builds Networks in it, with lookups by name, tier and route table. Not a test file itself.
 */
import { strict as assert } from "node:assert";
import { CapturedResource, componentSuite, inputsOf, TEST_TAGS } from "../../infra/offline/testing";
import type * as NetworkModule from "./network";

export const T = {
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
export const UNTAGGABLE = new Set<string>([T.route, T.association, T.rolePolicy]);

export const TAGS = TEST_TAGS;
export const ACCOUNT = "123456789012";

export type Args = Partial<NetworkModule.NetworkArgs>;

/** Starts the offline runtime for this test file (a root `before` hook) and loads ./network after it. */
export function networkSuite() {
  // Import the component only after the mocks are in place.
  const suite = componentSuite({ load: () => import("./network") });

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
  return { suite, build };
}

/** A built Network and its lookups. */
export type Built = Awaited<ReturnType<ReturnType<typeof networkSuite>["build"]>>;

/** Subnet plan as seen in the registrations: suffix -> [cidr, AZ, tier tag]. */
export function subnetLayout(b: Built, name: string): Record<string, [string, string, string]> {
  return Object.fromEntries(
    b.all(T.subnet).map((s) => {
      const i = inputsOf(s);
      return [s.name.slice(name.length + 1), [i.cidrBlock, i.availabilityZone, i.tags.tier]];
    }),
  );
}

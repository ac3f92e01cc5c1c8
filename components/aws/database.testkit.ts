/**
 * What the AWS Database's mock suites share (database.mock.test.ts, databaseProxy.mock.test.ts): the
 * resource types, the types that take no tags, and {@link databaseSuite}, which starts the offline runtime
 * for one test file and builds Databases in it. Not a test file itself.
 */
import { componentSuite, DATA_STORE_BASE } from "../../infra/offline/testing";
import type * as DatabaseModule from "./database";

export const T = {
  instance: "aws:rds/instance:Instance",
  parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
  subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  password: "random:index/randomPassword:RandomPassword",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  proxy: "aws:rds/proxy:Proxy",
  proxyTargetGroup: "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup",
  proxyTarget: "aws:rds/proxyTarget:ProxyTarget",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
} as const;

/** Resource types that take no tags. */
export const UNTAGGABLE = new Set<string>([
  T.password,
  T.secretVersion,
  T.rolePolicy,
  T.proxyTargetGroup,
  T.proxyTarget,
]);

/** Starts the offline runtime for this test file (a root `before` hook) and loads ./database after it. */
export function databaseSuite() {
  const suite = componentSuite({ load: () => import("./database") });

  /** Creates a Database on {@link DATA_STORE_BASE} plus `args`, waits for it, and indexes its children. */
  async function build(name: string, args: Partial<DatabaseModule.DatabaseArgs> = {}) {
    const c = await suite.capture(new suite.mod.Database(name, { ...DATA_STORE_BASE, ...args }));
    return { ...c, db: c.component };
  }
  return { suite, build };
}

/** A built Database and its indexed children. */
export type Built = Awaited<ReturnType<ReturnType<typeof databaseSuite>["build"]>>;

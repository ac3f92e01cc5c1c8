/**
 * The AWS Database's optional RDS Proxy: its own security group (5432 from the allowed groups, egress 5432
 * to the database group only), the database group admitting it, a role that may read exactly the
 * credentials secret, TLS required, and the instance as its only target. Tested in
 * databaseProxy.mock.test.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Posture } from "../shared/contracts";
import { physicalName } from "../shared/naming";
import { applyTransform, Transform } from "../shared/transform";
import {
  createEgressRule,
  createIngressRule,
  createSecurityGroup,
  type DatabaseAccessTransforms,
} from "./databaseAccess";
import { awsEnvironment } from "./environment";
import { createServiceRole } from "./iam";
import type { PartKit } from "./partKit";

/** Per-child `transform` hooks of the RDS Proxy. */
export interface DatabaseProxyTransforms {
  proxy?: Transform<aws.rds.ProxyArgs>;
  proxySecurityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
  proxyEgressRule?: Transform<aws.vpc.SecurityGroupEgressRuleArgs>;
  proxyRole?: Transform<aws.iam.RoleArgs>;
  proxyPolicy?: Transform<aws.iam.RolePolicyArgs>;
  proxyTargetGroup?: Transform<aws.rds.ProxyDefaultTargetGroupArgs>;
  proxyTarget?: Transform<aws.rds.ProxyTargetArgs>;
}

/** What the proxy builder needs from the Database component. */
export type DatabaseProxyKit = PartKit<DatabaseAccessTransforms & DatabaseProxyTransforms>;

/** The proxy's endpoint, security group and role. */
export interface DatabaseProxy {
  endpoint: pulumi.Output<string>;
  securityGroupId: pulumi.Output<string>;
  identity: Posture["identities"][number];
}

/**
 * The RDS Proxy in `subnetIds` in front of `instance`, admitting `allowedSecurityGroupIds` and reading
 * `credentialsSecret` (the Database's network args and children).
 */
export function createProxy(
  kit: DatabaseProxyKit,
  args: {
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    allowedSecurityGroupIds?: pulumi.Input<string>[];
  },
  dbSg: aws.ec2.SecurityGroup,
  instance: aws.rds.Instance,
  credentialsSecret: aws.secretsmanager.Secret,
): DatabaseProxy {
  const name = kit.name;
  const sg = createSecurityGroup(
    kit,
    `${name}-proxy-sg`,
    "db-proxy",
    args.vpcId,
    `RDS Proxy ${name}: 5432 from the allowed groups only`,
    kit.t.proxySecurityGroup,
  );
  (args.allowedSecurityGroupIds ?? []).forEach((id, i) =>
    createIngressRule(
      kit,
      `${name}-proxy-ingress-${i}`,
      sg.id,
      id,
      `PostgreSQL via proxy from allowed group ${i}`,
    ),
  );
  createIngressRule(kit, `${name}-ingress-proxy`, dbSg.id, sg.id, "PostgreSQL from the RDS Proxy");
  createEgressRule(
    kit,
    kit.t.proxyEgressRule,
    `${name}-proxy-egress`,
    sg.id,
    dbSg.id,
    "PostgreSQL to the database only",
  );

  const env = awsEnvironment(kit.parent);
  const role = createServiceRole(
    {
      name: `${name}-proxy-role`,
      service: "rds.amazonaws.com",
      description: `RDS Proxy of ${name}: reads the database credentials secret`,
      account: env.account,
      sourceArn: pulumi.interpolate`arn:${env.partition}:rds:${env.region}:${env.account}:db-proxy:*`,
      statements: [
        {
          sid: "ReadDatabaseCredentials",
          actions: ["secretsmanager:GetSecretValue"],
          resources: [credentialsSecret.arn],
        },
      ],
      tags: kit.tagsFor(`${name}-proxy-role`),
      transform: { role: kit.t.proxyRole, policy: kit.t.proxyPolicy },
    },
    kit.childOpts(),
  );

  const proxyName = physicalName("aws:rds", name, "proxy").slice(0, 60).replace(/-+$/, "");
  const proxy = new aws.rds.Proxy(
    ...applyTransform(
      kit.t.proxy,
      `${name}-proxy`,
      {
        name: proxyName,
        engineFamily: "POSTGRESQL",
        requireTls: true,
        roleArn: role.role.arn,
        vpcSubnetIds: args.subnetIds,
        vpcSecurityGroupIds: [sg.id],
        idleClientTimeout: 1800,
        debugLogging: false,
        auths: [
          {
            authScheme: "SECRETS",
            secretArn: credentialsSecret.arn,
            iamAuth: "DISABLED",
            clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256",
            description: "Master credentials from Secrets Manager",
          },
        ],
        tags: kit.tagsFor(`${name}-proxy`),
      },
      // The role must be allowed to read the secret before the proxy first connects.
      kit.childOpts({ dependsOn: role.policy ? [role.policy] : [] }),
    ),
  );
  const targetGroup = new aws.rds.ProxyDefaultTargetGroup(
    ...applyTransform(
      kit.t.proxyTargetGroup,
      `${name}-proxy-target-group`,
      {
        dbProxyName: proxy.name,
        connectionPoolConfig: {
          maxConnectionsPercent: 90,
          maxIdleConnectionsPercent: 50,
          connectionBorrowTimeout: 120,
        },
      },
      kit.childOpts(),
    ),
  );
  new aws.rds.ProxyTarget(
    ...applyTransform(
      kit.t.proxyTarget,
      `${name}-proxy-target`,
      // The default target group is always named "default".
      { dbProxyName: proxy.name, targetGroupName: "default", dbInstanceIdentifier: instance.identifier },
      kit.childOpts({ dependsOn: [targetGroup] }),
    ),
  );
  return { endpoint: proxy.endpoint, securityGroupId: sg.id, identity: role.identity };
}

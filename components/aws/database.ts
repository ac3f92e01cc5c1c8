/**
 * Meridian's PostgreSQL on AWS: one RDS for PostgreSQL instance (16 or 17) in the isolated subnets, TLS
 * forced by its parameter group, storage encrypted (gp3, autoscaling), automated backups with PITR,
 * Performance Insights, IAM authentication, a master password generated with @pulumi/random and stored in
 * Secrets Manager (never in config) together with the connection URL the service reads as `DATABASE_URL`,
 * and an optional RDS Proxy that requires TLS.
 *
 * The building blocks are beside it: args `./databaseArgs`, validation `./databaseSettings`, engine facts
 * `./rdsPostgres`, security groups and `allowFrom` `./databaseAccess`, password and secrets
 * `./databaseSecrets`, the proxy `./databaseProxy`. Validation is pure and exported
 * ({@link resolveDatabaseArgs}, {@link databaseUrl}) so it tests without mocks. See
 * docs/components/aws-database.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childKit } from "../shared/component";
import type { Posture } from "../shared/contracts";
import { asciiDescription, physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import { resolveArgs } from "../shared/validate";
import { allowFrom, createIngressRule, createSecurityGroup } from "./databaseAccess";
import type { DatabaseArgs, DatabaseTransforms } from "./databaseArgs";
import { createProxy, type DatabaseProxyKit } from "./databaseProxy";
import {
  createCredentialsSecret,
  createMasterPassword,
  createUrlSecret,
  type DatabaseSecretKit,
} from "./databaseSecrets";
import { resolveDatabaseArgs, type DatabaseSettings } from "./databaseSettings";
import {
  DATABASE_LOG_EXPORTS,
  databaseParameters,
  POSTGRES_PORT,
  RDS_CA_CERT_IDENTIFIER,
} from "./rdsPostgres";

// The building blocks' public names, where importers found them before the split.
export { DATABASE_DEFAULTS, type DatabaseArgs, type DatabaseTransforms } from "./databaseArgs";
export { databaseUrl, SSL_MODES, type SslMode } from "./databaseSecrets";
export { resolveDatabaseArgs, type DatabaseSettings } from "./databaseSettings";
export {
  DATABASE_LOG_EXPORTS,
  databaseParameters,
  POSTGRES_MAJORS,
  POSTGRES_PORT,
  POSTGRES_VERSIONS,
  RDS_CA_CERT_IDENTIFIER,
  rdsMaxConnections,
  type PostgresMajor,
} from "./rdsPostgres";
export { validateDailyWindow, validateSecurityGroupIds, validateWeeklyWindow } from "./validate";

/**
 * A production PostgreSQL for the Meridian API on RDS.
 *
 * @example
 * const db = new Database("meridian-prod-db", {
 *   vpcId: network.vpcId,
 *   subnetIds: network.isolatedSubnetIds,
 *   allowedSecurityGroupIds: [serviceSecurityGroupId],
 *   engineVersion: "17",
 *   instanceClass: "db.m7g.large",
 *   multiAz: true,
 *   deletionProtection: true,
 *   backupRetentionDays: 14,
 *   proxy: true,
 *   tags,
 * });
 * // service: secrets: [{ name: "DATABASE_URL", valueFrom: db.connectionUrlSecretArn }]
 *
 * ## Cost (us-east-1 list prices)
 * - dev (db.t4g.micro, 20 GiB gp3, single-AZ): ≈ $11.68 + $2.30 ≈ $14/month.
 * - prod (db.m7g.large Multi-AZ, 100 GiB): ≈ $238 + $23 ≈ $261/month; RDS Proxy ≈ $22+/month.
 * - Secrets Manager: $0.40/secret-month (two secrets) + $0.05 per 10,000 API calls.
 * - Performance Insights 7 days: free. Log exports: CloudWatch Logs $0.50/GB ingested.
 */
export class Database extends pulumi.ComponentResource {
  /** `host:port` of the instance. */
  public readonly endpoint: pulumi.Output<string>;
  /** Host name of the instance. */
  public readonly address: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly instanceIdentifier: pulumi.Output<string>;
  public readonly instanceArn: pulumi.Output<string>;
  /** The database security group (admits only the allowed groups and the proxy). */
  public readonly securityGroupId: pulumi.Output<string>;
  /** The DB subnet group (isolated subnets); where restore tests put their copy. */
  public readonly subnetGroupName: pulumi.Output<string>;
  /** Secret holding the connection URL (`DATABASE_URL`); points at the proxy when there is one. */
  public readonly connectionUrlSecretArn: pulumi.Output<string>;
  /** Secret holding `{username, password, host, port, dbname, engine}` (the proxy reads it). */
  public readonly credentialsSecretArn: pulumi.Output<string>;
  /** The proxy's endpoint, when `proxy` is on. */
  public readonly proxyEndpoint?: pulumi.Output<string>;
  /** The proxy's security group, when `proxy` is on. */
  public readonly proxySecurityGroupId?: pulumi.Output<string>;
  /** What auditors read about the database. */
  public readonly posture: NonNullable<Posture["database"]>;
  /** The roles this component creates (the proxy's), with their exact permissions. */
  public readonly identities: Posture["identities"];
  /** Names (never values) of the secrets this component creates. */
  public readonly secretNames: string[];
  /** The settings the component resolved (validated args with defaults). */
  public readonly settings: DatabaseSettings;

  private readonly kit: DatabaseProxyKit & DatabaseSecretKit;

  constructor(name: string, args: DatabaseArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("Database", name, () => resolveDatabaseArgs(args));
    super("meridian:aws:Database", name, {}, opts);
    this.settings = settings;
    const s = settings;
    const t: DatabaseTransforms = args.transform ?? {};
    const kit = {
      ...childKit(this, s.tags),
      parent: this,
      name,
      t,
      recoveryWindowDays: s.secretRecoveryWindowDays,
    };
    this.kit = kit;

    const sg = createSecurityGroup(
      kit,
      `${name}-sg`,
      "db",
      args.vpcId,
      `PostgreSQL ${name}: 5432 from the allowed groups only`,
      t.securityGroup,
    );
    (args.allowedSecurityGroupIds ?? []).forEach((id, i) =>
      createIngressRule(kit, `${name}-ingress-${i}`, sg.id, id, `PostgreSQL from allowed group ${i}`),
    );

    const subnetGroup = new aws.rds.SubnetGroup(
      ...applyTransform(
        t.subnetGroup,
        `${name}-subnets`,
        {
          name: physicalName("aws:rds", name, "subnets"),
          description: asciiDescription(`Isolated subnets of ${name}`),
          subnetIds: args.subnetIds,
          tags: kit.tagsFor(`${name}-subnets`),
        },
        kit.childOpts(),
      ),
    );

    const parameterGroup = new aws.rds.ParameterGroup(
      ...applyTransform(
        t.parameterGroup,
        `${name}-params`,
        {
          // The major is part of the name: an upgrade creates the new group before the old is deleted.
          name: physicalName("aws:rds", name, s.family),
          family: s.family,
          description: asciiDescription(`TLS-only PostgreSQL ${s.major} settings of ${name}`),
          parameters: databaseParameters(s),
          tags: kit.tagsFor(`${name}-params`),
        },
        kit.childOpts(),
      ),
    );

    const password = createMasterPassword(kit);

    const identifier = physicalName("aws:rds", name);
    const instance = new aws.rds.Instance(
      ...applyTransform(
        t.instance,
        name,
        {
          identifier,
          engine: "postgres",
          engineVersion: s.fullVersion,
          instanceClass: s.instanceClass,
          dbName: s.databaseName,
          username: s.masterUsername,
          password: password.result,
          port: POSTGRES_PORT,
          storageType: "gp3",
          allocatedStorage: s.allocatedStorageGb,
          maxAllocatedStorage: s.maxAllocatedStorageGb,
          storageEncrypted: true,
          kmsKeyId: args.kmsKeyArn,
          multiAz: s.multiAz,
          dbSubnetGroupName: subnetGroup.name,
          vpcSecurityGroupIds: [sg.id],
          parameterGroupName: parameterGroup.name,
          publiclyAccessible: false,
          caCertIdentifier: RDS_CA_CERT_IDENTIFIER,
          iamDatabaseAuthenticationEnabled: true,
          backupRetentionPeriod: s.backupRetentionDays,
          backupWindow: s.backupWindow,
          maintenanceWindow: s.maintenanceWindow,
          copyTagsToSnapshot: true,
          deleteAutomatedBackups: !s.deletionProtection,
          deletionProtection: s.deletionProtection,
          skipFinalSnapshot: !s.finalSnapshot,
          finalSnapshotIdentifier: s.finalSnapshot ? physicalName("aws:rds", identifier, "final") : undefined,
          performanceInsightsEnabled: s.performanceInsights,
          performanceInsightsRetentionPeriod: s.performanceInsights ? 7 : undefined,
          performanceInsightsKmsKeyId: s.performanceInsights ? args.kmsKeyArn : undefined,
          autoMinorVersionUpgrade: s.autoMinorVersionUpgrade,
          allowMajorVersionUpgrade: false,
          enabledCloudwatchLogsExports: [...DATABASE_LOG_EXPORTS],
          applyImmediately: false,
          tags: kit.tagsFor(name),
        },
        kit.childOpts(),
      ),
    );

    const credentials = createCredentialsSecret(kit, {
      username: s.masterUsername,
      password: password.result,
      host: instance.address,
      database: s.databaseName,
    });

    let urlHost: pulumi.Output<string> = instance.address;
    let identities: Posture["identities"] = [];
    if (s.proxy) {
      const proxy = createProxy(kit, args, sg, instance, credentials.secret);
      urlHost = proxy.endpoint;
      identities = [proxy.identity];
      this.proxyEndpoint = proxy.endpoint;
      this.proxySecurityGroupId = proxy.securityGroupId;
    }

    const url = createUrlSecret(kit, {
      username: s.masterUsername,
      password: password.result,
      host: urlHost,
      database: s.databaseName,
      sslMode: s.sslMode,
    });

    this.endpoint = instance.endpoint;
    this.address = instance.address;
    this.port = instance.port;
    this.instanceIdentifier = instance.identifier;
    this.instanceArn = instance.arn;
    this.securityGroupId = sg.id;
    this.subnetGroupName = subnetGroup.name;
    this.connectionUrlSecretArn = url.secret.arn;
    this.credentialsSecretArn = credentials.secret.arn;
    this.identities = identities;
    this.secretNames = [url.secretName, credentials.secretName];
    this.posture = {
      engine: "postgres",
      version: s.fullVersion,
      tlsRequired: true,
      clientVerification: s.sslMode,
      encryptedAtRest: true,
      backupRetentionDays: s.backupRetentionDays,
      pointInTimeRecovery: s.backupRetentionDays > 0,
      deletionProtection: s.deletionProtection,
      highAvailability: s.multiAz,
    };

    this.registerOutputs({
      endpoint: this.endpoint,
      address: this.address,
      port: this.port,
      instanceIdentifier: this.instanceIdentifier,
      instanceArn: this.instanceArn,
      securityGroupId: this.securityGroupId,
      connectionUrlSecretArn: this.connectionUrlSecretArn,
      credentialsSecretArn: this.credentialsSecretArn,
      proxyEndpoint: this.proxyEndpoint,
      proxySecurityGroupId: this.proxySecurityGroupId,
      posture: this.posture,
      identities: this.identities,
      secretNames: this.secretNames,
    });
  }

  /**
   * Connects one more client security group on 5432, both ways: ingress to the database's group (and the
   * proxy's, with a proxy) and egress from the client's group to exactly that group. For clients created
   * after the database, e.g. the service (its task group depends on this component's secrets). `label`
   * names the rules: ASCII, unique per database, stable (renaming replaces the rules).
   */
  public allowFrom(label: string, securityGroupId: pulumi.Input<string>): void {
    const targets: [string, pulumi.Output<string>][] = [["", this.securityGroupId]];
    if (this.proxySecurityGroupId) targets.push(["proxy-", this.proxySecurityGroupId]);
    allowFrom(this.kit, label, securityGroupId, targets);
  }
}

/**
 * Meridian's PostgreSQL on GCP: one Cloud SQL for PostgreSQL instance (16 or 17) on a private IP only (private
 * services access, no public IP, no authorized networks), TLS required, automated backups with point-in-time
 * recovery, Query Insights, a maintenance window, a built-in user whose password comes from @pulumi/random,
 * and two Secret Manager secrets the service mounts: the connection URL (`DATABASE_URL`, `sslmode=verify-full`)
 * and the server CA bundle (a file, `DATABASE_SSL_CA_FILE`).
 *
 * ## verify-full on Cloud SQL
 * With the per-instance CA (the API default) the server certificate's CN is `<project>:<instance>` and it
 * names neither the IP nor a DNS name, so only `verify-ca` works. With the shared CA
 * (`serverCaMode: GOOGLE_MANAGED_CAS_CA`, Cloud SQL "Authorize with SSL/TLS certificates" and "Configure SSL/TLS
 * certificates", 2026-11) the certificate carries the instance's DNS name (for private services access
 * `<uid>.<label>.<region>.sql-psa.goog.`, listed in `dnsNames`) in its SAN, not its IP. Since a shared CA signs
 * every instance of the region, checking the chain alone would not tell which instance answered: the name check
 * is what makes it safe. The URL therefore connects to the private IP (no DNS record needed) and the app checks
 * the certificate against that DNS name (`DATABASE_SSL_SERVERNAME`, output `sslServerName`).
 *
 * Validation is pure and lives in ./databaseSettings.ts; tiers and the pool formula input in ./sqlTiers.ts.
 * See docs/components/gcp-database.md.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Posture } from "../shared/contracts";
import { physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import { resolveArgs } from "../shared/validate";
import { enableServices } from "./apis";
import type { IamGrant } from "./iam";
import { createManagedSecret, SecretRef } from "./secret";
import {
  caBundle,
  cloudSqlUrl,
  DATABASE_CA_FILE_PATH,
  databaseFlags,
  GcpDatabaseArgs,
  GcpDatabaseSettings,
  POSTGRES_PORT,
  resolveGcpDatabaseArgs,
  serverName,
} from "./databaseSettings";

export * from "./databaseSettings";
export { cloudSqlMaxConnections } from "./sqlTiers";

/** The server CA mode whose certificates carry a DNS name (see the file comment). */
export const SERVER_CA_MODE = "GOOGLE_MANAGED_CAS_CA";

/**
 * A production PostgreSQL for the Meridian API on Cloud SQL.
 *
 * @example
 * const db = new Database("meridian-prod-db", {
 *   project, region,
 *   networkSelfLink: network.networkSelfLink,
 *   privateServicesRangeName: network.privateServicesRangeName,
 *   privateServicesConnection: network.privateServicesConnection,
 *   accessors: [runtime],
 *   tier: "db-custom-2-7680", highAvailability: true, deletionProtection: true, backupRetentionDays: 14,
 *   labels,
 * });
 * // service: DATABASE_URL from db.urlSecret, db.caSecret mounted at db.caFilePath (DATABASE_SSL_CA_FILE),
 * //          DATABASE_SSL_SERVERNAME = db.sslServerName, DB_MAX_CONNECTIONS = db.maxConnections
 *
 * ## Cost (us-central1, cloud.google.com/sql/pricing, 2026-11)
 * - dev (db-custom-1-3840 zonal, 10 GB SSD): ≈ $50 + $1.70 ≈ $52/month.
 * - prod (db-custom-2-7680 REGIONAL, 20 GB): ≈ $200 + $6.80/month; backups $0.08/GB-month beyond the disk size.
 * - Secret Manager: 2 secrets ≈ $0.12/month (versions $0.06 each). Query Insights: free.
 */
export class Database extends pulumi.ComponentResource {
  /** Pinned reference of the `DATABASE_URL` secret (`postgresql://...?sslmode=verify-full`). */
  public readonly urlSecret: SecretRef;
  /** Pinned reference of the server CA bundle secret (PEM); mount it as a file. */
  public readonly caSecret: SecretRef;
  /** Suggested mount path of the CA secret; set `DATABASE_SSL_CA_FILE` to it. */
  public readonly caFilePath: string;
  /** The name the server certificate carries; set `DATABASE_SSL_SERVERNAME` to it. */
  public readonly sslServerName: pulumi.Output<string>;
  /** `<project>:<region>:<instance>` (Cloud SQL Auth Proxy, monitoring filters). */
  public readonly connectionName: pulumi.Output<string>;
  public readonly instanceName: pulumi.Output<string>;
  public readonly privateIp: pulumi.Output<string>;
  public readonly port: number;
  /** The server's `max_connections` (set explicitly): `DB_MAX_CONNECTIONS` of the pool formula. */
  public readonly maxConnections: number;
  /** Names (never values) of the secrets this component creates. */
  public readonly secretNames: string[];
  /** Every IAM binding this component creates. */
  public readonly grants: IamGrant[];
  /** What auditors read about the database. */
  public readonly posture: NonNullable<Posture["database"]>;
  /** The database part of the posture's `backups` section. */
  public readonly backups: NonNullable<Posture["backups"]>["database"];
  public readonly settings: GcpDatabaseSettings;

  constructor(name: string, args: GcpDatabaseArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const s = resolveArgs("Database", name, () => resolveGcpDatabaseArgs(args));
    super("meridian:gcp:Database", name, {}, opts);
    this.settings = s;
    const t = args.transform ?? {};
    const child = (extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions => ({
      parent: this,
      ...extra,
    });

    const apis = s.enableApis
      ? enableServices(
          name,
          args.project,
          ["sqladmin.googleapis.com", "secretmanager.googleapis.com"],
          child(),
          t.service,
        )
      : [];

    const instance = new gcp.sql.DatabaseInstance(
      ...applyTransform(
        t.instance,
        name,
        {
          project: args.project,
          region: s.region,
          name: physicalName("gcp:sqlInstance", name),
          databaseVersion: s.databaseVersion,
          // The provider's own guard (pulumi destroy/replace fails while true). Its default is true: dev sets false.
          deletionProtection: s.deletionProtection,
          settings: {
            tier: s.tier,
            edition: s.edition,
            availabilityType: s.highAvailability ? "REGIONAL" : "ZONAL",
            diskType: "PD_SSD",
            diskSize: s.diskSizeGb,
            diskAutoresize: true,
            diskAutoresizeLimit: s.maxDiskSizeGb,
            // Cloud SQL's own guard: refuses deletion from the API, gcloud and the console too.
            deletionProtectionEnabled: s.deletionProtection,
            retainBackupsOnDelete: s.deletionProtection,
            ipConfiguration: {
              ipv4Enabled: false,
              privateNetwork: args.networkSelfLink,
              allocatedIpRange: args.privateServicesRangeName,
              sslMode: "ENCRYPTED_ONLY",
              serverCaMode: SERVER_CA_MODE,
              authorizedNetworks: [],
            },
            backupConfiguration: {
              enabled: s.backups,
              startTime: s.backupStartTime,
              location: s.region,
              pointInTimeRecoveryEnabled: s.pointInTimeRecovery,
              transactionLogRetentionDays: s.pointInTimeRecovery ? s.transactionLogRetentionDays : undefined,
              backupRetentionSettings: { retainedBackups: s.backupRetentionDays, retentionUnit: "COUNT" },
            },
            maintenanceWindow: { ...s.maintenanceWindow, updateTrack: "stable" },
            insightsConfig: {
              queryInsightsEnabled: s.queryInsights,
              queryPlansPerMinute: 5,
              queryStringLength: 1024,
              recordApplicationTags: true,
              recordClientAddress: true,
            },
            databaseFlags: databaseFlags(s),
            userLabels: s.labels,
          },
        },
        // protect: the engine refuses any plan that deletes or replaces the instance (and says why) until
        // `pulumi state unprotect`; retainOnDelete would instead drop it from the stack and leave it billing.
        child({ dependsOn: [args.privateServicesConnection, ...apis], protect: s.deletionProtection }),
      ),
    );

    const database = new gcp.sql.Database(
      ...applyTransform(
        t.database,
        `${name}-database`,
        {
          project: args.project,
          instance: instance.name,
          name: s.databaseName,
          charset: "UTF8",
          collation: "en_US.UTF8",
        },
        child(),
      ),
    );

    const password = new random.RandomPassword(
      ...applyTransform(
        t.password,
        `${name}-password`,
        // Letters and digits only: safe in a URL, in libpq keyword strings and in shells.
        { length: 32, special: false, minLower: 2, minUpper: 2, minNumeric: 2 },
        child(),
      ),
    );

    const user = new gcp.sql.User(
      ...applyTransform(
        t.user,
        `${name}-user`,
        {
          project: args.project,
          instance: instance.name,
          name: s.username,
          type: "BUILT_IN",
          password: password.result,
          // PostgreSQL refuses to drop a role that owns objects; the instance's lifecycle owns it.
          deletionPolicy: "ABANDON",
        },
        child({ dependsOn: [database] }),
      ),
    );

    const secretOpts = child({ dependsOn: [user, ...apis] });
    const common = {
      project: args.project,
      accessors: args.accessors,
      labels: s.labels,
      deletionProtection: s.deletionProtection,
      transform: { secret: t.secret, version: t.secretVersion, accessor: t.accessor },
    };
    const url = createManagedSecret(
      `${name}-url`,
      {
        ...common,
        idParts: [name, "url"],
        data: pulumi.secret(
          pulumi
            .all([password.result, instance.privateIpAddress])
            .apply(([pass, host]) =>
              cloudSqlUrl({ username: s.username, password: pass, host, database: s.databaseName }),
            ),
        ),
      },
      secretOpts,
    );
    const ca = createManagedSecret(
      `${name}-ca`,
      { ...common, idParts: [name, "server-ca"], data: instance.serverCaCerts.apply((c) => caBundle(c)) },
      secretOpts,
    );

    this.urlSecret = url.ref;
    this.caSecret = ca.ref;
    this.caFilePath = DATABASE_CA_FILE_PATH;
    this.sslServerName = pulumi
      .all([instance.dnsNames, instance.dnsName])
      .apply(([names, dns]) => serverName(names, dns));
    this.connectionName = instance.connectionName;
    this.instanceName = instance.name;
    this.privateIp = instance.privateIpAddress;
    this.port = POSTGRES_PORT;
    this.maxConnections = s.maxConnections;
    this.secretNames = [url.secretId, ca.secretId];
    this.grants = [...url.grants, ...ca.grants];
    this.posture = {
      engine: "postgres",
      version: s.postgresVersion,
      tlsRequired: true,
      clientVerification: "verify-full",
      // Cloud SQL encrypts data at rest by default (Google-managed keys).
      encryptedAtRest: true,
      backupRetentionDays: s.backups ? s.backupRetentionDays : 0,
      pointInTimeRecovery: s.pointInTimeRecovery,
      deletionProtection: s.deletionProtection,
      highAvailability: s.highAvailability,
    };
    this.backups = {
      automatedDays: s.backups ? s.backupRetentionDays : 0,
      pointInTimeRecovery: s.pointInTimeRecovery,
      pointInTimeRecoveryDays: s.pointInTimeRecovery ? s.transactionLogRetentionDays : 0,
      independentVaultDays: 0,
    };

    this.registerOutputs({
      urlSecret: this.urlSecret,
      caSecret: this.caSecret,
      caFilePath: this.caFilePath,
      sslServerName: this.sslServerName,
      connectionName: this.connectionName,
      instanceName: this.instanceName,
      privateIp: this.privateIp,
      port: this.port,
      maxConnections: this.maxConnections,
      secretNames: this.secretNames,
      grants: this.grants,
      posture: this.posture,
      backups: this.backups,
    });
  }
}

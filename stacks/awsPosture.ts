/**
 * The sections of the AWS posture document that span components: encryption per data store, TLS per hop,
 * backups of every data store, resource policies, restore testing, the account baseline, and what only a
 * deployment can confirm (components/aws/postureFacts.ts has the rules; this file reads the components).
 * Without a cache (`meridian:cacheEnabled=false`) no fact names ElastiCache.
 */
import type { AccountBaseline } from "../components/aws/baseline";
import type { Backup } from "../components/aws/backup";
import type { Cache } from "../components/aws/cache";
import type { Cdn } from "../components/aws/cdn";
import type { Database } from "../components/aws/database";
import type { Observability } from "../components/aws/observability";
import {
  backupFacts,
  confirmOnDeploymentFacts,
  encryptionFacts,
  tlsHopFacts,
  type AwsPostureInput,
} from "../components/aws/postureFacts";
import type { Service } from "../components/aws/service";
import { TLS_POLICY } from "../components/aws/listeners";
import type { Posture } from "../components/shared/contracts";

type Extended = Required<
  Pick<
    Posture,
    | "encryption"
    | "tlsHops"
    | "dataStoreBackups"
    | "resourcePolicies"
    | "restoreTesting"
    | "accountBaseline"
    | "confirmOnDeployment"
  >
>;

export function awsExtendedPosture(p: {
  base: string;
  database: Database;
  /** Absent when the stack builds no cache. */
  cache?: Cache;
  cdn: Cdn;
  service: Service;
  observability: Observability;
  backup?: Backup;
  baseline?: AccountBaseline;
  logRetentionDays: Record<string, number>;
  flowLogGroup: string;
}): Extended {
  const { base, database, cache, cdn, service, backup, baseline } = p;
  const input: AwsPostureInput = {
    database: {
      name: `${base}-db`,
      backupRetentionDays: database.settings.backupRetentionDays,
      proxy: database.settings.proxy,
    },
    cache: cache
      ? { name: `${base}-cache`, snapshotRetentionDays: cache.settings.snapshotRetentionDays }
      : undefined,
    assetsBucket: {
      name: `${base}-cdn-assets`,
      kmsKeyArn: cdn.settings.encryption === "AES256" ? undefined : cdn.settings.encryption.kmsKeyArn,
      noncurrentVersionDays: cdn.settings.noncurrentVersionDays,
    },
    albLogsBucket: {
      name: `${base}-api-alb-logs`,
      retentionDays: p.logRetentionDays[`s3:${base}-api-alb-logs`] ?? 0,
    },
    logGroups: [
      p.flowLogGroup,
      ...Object.keys(p.logRetentionDays).filter((k) => !k.startsWith("s3:") && k !== "network-flow-logs"),
    ].map((name) => ({ name })),
    alarmTopic: { name: `${base}-obs-alarms` },
    registry: { name: `${base}-api`, encryption: "AES256" },
    backupVault: backup
      ? {
          name: `${base}-backup-vault`,
          keyArn: backup.vaultKeyArn,
          retentionDays: backup.settings.retentionDays,
        }
      : undefined,
    viewer: { securityPolicy: cdn.posture.minTlsVersion },
    origin: { protocol: service.originProtocolPolicy, sslProtocols: ["TLSv1.2"], albPolicy: TLS_POLICY },
    lbToTask: "HTTP",
    databaseTls: { minVersion: "TLSv1.2", clientVerification: database.posture.clientVerification },
  };
  return {
    encryption: encryptionFacts(input),
    tlsHops: tlsHopFacts(input),
    dataStoreBackups: backupFacts(input),
    resourcePolicies: [
      ...cdn.resourcePolicies,
      ...service.resourcePolicies,
      ...p.observability.resourcePolicies,
      ...(backup
        ? [
            {
              resource: backup.vaultKeyArn,
              kind: "key-policy" as const,
              grants: ["default key policy: the account administers and uses the key through IAM"],
            },
          ]
        : []),
      ...(baseline ? baseline.resourcePolicies : []),
    ],
    restoreTesting: backup?.restoreTesting ?? null,
    accountBaseline: baseline ? (baseline.posture as unknown as Record<string, unknown>) : null,
    confirmOnDeployment: confirmOnDeploymentFacts({
      backupVault: backup !== undefined,
      accountBaseline: baseline !== undefined,
      cache: cache !== undefined,
    }),
  };
}

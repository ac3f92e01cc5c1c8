/**
 * The GCP model's coverage (index.ts): every type the GCP option uses has a model; none falls back to
 * unknown outputs.
 */
import { strict as assert } from "node:assert";
import { GCP_MODELS } from "./index";
import { model } from "./testing";

describe("offline model of Google Cloud", () => {
  describe("coverage and data sources", () => {
    it("models every type the GCP option uses (no type falls back to unknown outputs)", () => {
      const types = [
        "gcp:cloudrunv2/service:Service",
        "gcp:cloudrunv2/job:Job",
        "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
        "gcp:cloudrunv2/jobIamMember:JobIamMember",
        "gcp:cloudscheduler/job:Job",
        "gcp:artifactregistry/repository:Repository",
        "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
        "gcp:compute/globalAddress:GlobalAddress",
        "gcp:compute/globalForwardingRule:GlobalForwardingRule",
        "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
        "gcp:compute/targetHttpProxy:TargetHttpProxy",
        "gcp:compute/uRLMap:URLMap",
        "gcp:compute/backendService:BackendService",
        "gcp:compute/backendBucket:BackendBucket",
        "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup",
        "gcp:compute/sSLPolicy:SSLPolicy",
        "gcp:compute/managedSslCertificate:ManagedSslCertificate",
        "gcp:compute/securityPolicy:SecurityPolicy",
        "gcp:storage/bucket:Bucket",
        "gcp:storage/bucketIAMMember:BucketIAMMember",
        "gcp:storage/bucketObject:BucketObject",
        "gcp:sql/databaseInstance:DatabaseInstance",
        "gcp:sql/database:Database",
        "gcp:sql/user:User",
        "gcp:redis/instance:Instance",
        "gcp:secretmanager/secret:Secret",
        "gcp:secretmanager/secretVersion:SecretVersion",
        "gcp:secretmanager/secretIamMember:SecretIamMember",
        "gcp:serviceaccount/account:Account",
        "gcp:projects/iAMMember:IAMMember",
        "gcp:projects/iAMAuditConfig:IAMAuditConfig",
        "gcp:monitoring/notificationChannel:NotificationChannel",
        "gcp:monitoring/alertPolicy:AlertPolicy",
        "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
        "gcp:monitoring/dashboard:Dashboard",
        "gcp:logging/projectBucketConfig:ProjectBucketConfig",
        "gcp:logging/projectSink:ProjectSink",
        "gcp:logging/projectExclusion:ProjectExclusion",
        "gcp:dns/managedZone:ManagedZone",
        "gcp:dns/recordSet:RecordSet",
        "gcp:kms/keyRing:KeyRing",
        "gcp:kms/cryptoKey:CryptoKey",
        "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
      ];
      const missing = types.filter((t) => !GCP_MODELS[t]);
      assert.deepEqual(missing, []);
      for (const type of types) {
        const r = model(type, { name: "x" });
        assert.ok(r.id, type);
        assert.ok(!r.notes.some((n) => /no offline model/.test(n)), type);
      }
    });
  });
});

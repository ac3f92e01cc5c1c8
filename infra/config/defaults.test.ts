/**
 * The parsed configuration as a whole: the typed object and its defaults per profile and cloud (dev/prod x
 * aws/gcp), values overriding defaults, the frozen result. Pure (infra/config/index.ts).
 */
import { strict as assert } from "node:assert";
import { AWS, GCP, parse } from "./testing";

describe("config", () => {
  describe("valid stacks and defaults", () => {
    it("aws dev: the typed object with dev defaults", () => {
      assert.deepEqual(parse(AWS), {
        project: "meridian",
        stack: "dev",
        cloud: "aws",
        profile: "dev",
        appName: "meridian",
        baseName: "meridian-dev",
        tags: { app: "meridian", environment: "dev", owner: "platform", costCenter: "meridian" },
        image: undefined,
        domain: undefined,
        alertEmail: undefined,
        logRetentionDays: 30,
        aws: { region: "us-east-1", vpcCidr: "10.40.0.0/16", azCount: 2, natStrategy: "single" },
        gcp: {
          project: "",
          region: "",
          subnetCidr: "10.60.0.0/20",
          privateServicesCidr: "10.61.0.0/16",
          serverlessEgress: "direct",
          connectorCidr: "10.62.0.0/28",
          runtime: "cloudrun",
        },
        service: {
          cpu: 0.5,
          memoryMiB: 1024,
          minInstances: 1,
          maxInstances: 2,
          spot: false,
          concurrency: 80,
          otelCollector: false,
          otelCollectorImage: undefined,
        },
        database: {
          postgresVersion: "16",
          instanceClass: "db.t4g.micro",
          tier: "db-custom-1-3840",
          storageGb: 20,
          maxStorageGb: 100,
          highAvailability: false,
          proxy: false,
          backupRetentionDays: 7,
          deletionProtection: false,
        },
        cache: { enabled: true, nodeType: "cache.t4g.micro", memoryGb: 1, replicas: 0 },
        job: { schedule: "15 3 * * *", name: "refresh-category-counts" },
        awsExtras: {
          hostedZoneId: undefined,
          backupRetentionDays: 0,
          buildImage: false,
        },
        accountBaseline: false,
        gcpExtras: { adaptiveProtection: false },
        wafRateLimit: 2000,
        webhooks: { whatsapp: false, telegram: false, whatsappAppSecret: undefined },
      });
    });

    it("gcp dev: cloud-aware sizing that Cloud Run accepts (1 vCPU, 1024 MiB); aws.region is empty", () => {
      const c = parse(GCP);
      assert.equal(c.cloud, "gcp");
      assert.deepEqual(c.gcp, {
        project: "meridian-dev-4821",
        region: "us-central1",
        subnetCidr: "10.60.0.0/20",
        privateServicesCidr: "10.61.0.0/16",
        serverlessEgress: "direct",
        connectorCidr: "10.62.0.0/28",
        runtime: "cloudrun",
      });
      assert.deepEqual(c.service, {
        cpu: 1,
        memoryMiB: 1024,
        minInstances: 1,
        maxInstances: 2,
        spot: false,
        concurrency: 80,
        otelCollector: false,
        otelCollectorImage: undefined,
      });
      assert.equal(c.aws.region, "");
      assert.deepEqual(c.cache, { enabled: true, nodeType: "cache.t4g.micro", memoryGb: 1, replicas: 0 });
    });

    it("stack prod: prod profile and prod defaults", () => {
      const c = parse(AWS, "prod");
      assert.equal(c.profile, "prod");
      assert.equal(c.baseName, "meridian-prod");
      assert.equal(c.tags.environment, "prod");
      assert.equal(c.logRetentionDays, 90);
      assert.deepEqual(c.aws, {
        region: "us-east-1",
        vpcCidr: "10.40.0.0/16",
        azCount: 3,
        natStrategy: "perAz",
      });
      assert.deepEqual(c.service, {
        cpu: 1,
        memoryMiB: 2048,
        minInstances: 2,
        maxInstances: 10,
        spot: false,
        concurrency: 80,
        otelCollector: false,
        otelCollectorImage: undefined,
      });
      assert.deepEqual(c.database, {
        postgresVersion: "16",
        instanceClass: "db.m7g.large",
        tier: "db-custom-2-7680",
        storageGb: 100,
        maxStorageGb: 1000,
        highAvailability: true,
        proxy: true,
        backupRetentionDays: 14,
        deletionProtection: true,
      });
      assert.deepEqual(c.cache, { enabled: true, nodeType: "cache.m7g.large", memoryGb: 5, replicas: 1 });
      assert.deepEqual([parse(GCP, "prod").service.cpu, parse(GCP, "prod").service.memoryMiB], [1, 2048]);
    });

    it("the defaults pass every rule, for each profile and cloud", () => {
      for (const stack of ["dev", "prod"]) {
        for (const values of [AWS, GCP]) assert.doesNotThrow(() => parse(values, stack), `${stack}`);
      }
    });

    it("set values override the defaults and are parsed to their types", () => {
      const c = parse({
        ...AWS,
        "meridian:appName": "shop-api",
        "meridian:owner": "team-payments",
        "meridian:costCenter": "CC-1234",
        "meridian:cpu": "2",
        "meridian:memoryMiB": "4096",
        "meridian:minInstances": "0",
        "meridian:maxInstances": "100",
        "meridian:spot": "true",
        "meridian:dbHighAvailability": "true",
        "meridian:postgresVersion": "17",
        "meridian:natStrategy": "none",
        "meridian:vpcCidr": "172.16.0.0/22",
        "meridian:domain": "api.example.com",
        "meridian:alertEmail": "ops+alerts@example.com",
        "meridian:image": "ghcr.io/acme/api:1.4.2",
      });
      assert.deepEqual([c.appName, c.baseName, c.tags.app], ["shop-api", "shop-api-dev", "shop-api"]);
      assert.deepEqual([c.tags.owner, c.tags.costCenter], ["team-payments", "CC-1234"]);
      assert.deepEqual(c.service, {
        cpu: 2,
        memoryMiB: 4096,
        minInstances: 0,
        maxInstances: 100,
        spot: true,
        concurrency: 80,
        otelCollector: false,
        otelCollectorImage: undefined,
      });
      assert.deepEqual([c.database.highAvailability, c.database.postgresVersion], [true, "17"]);
      assert.deepEqual([c.aws.natStrategy, c.aws.vpcCidr], ["none", "172.16.0.0/22"]);
      assert.deepEqual(
        [c.domain, c.alertEmail, c.image],
        ["api.example.com", "ops+alerts@example.com", "ghcr.io/acme/api:1.4.2"],
      );
    });

    it("the result is deeply frozen", () => {
      const c = parse(AWS);
      assert.ok(Object.isFrozen(c) && Object.isFrozen(c.service) && Object.isFrozen(c.tags));
      assert.throws(() => ((c.service as { cpu: number }).cpu = 4), TypeError);
    });

    it("keys of other namespaces are left alone", () => {
      assert.doesNotThrow(() =>
        parse({ ...AWS, "aws:profile": "sandbox", "foo:bar": "x", "pulumi:tags": "{}" }),
      );
    });
  });
});

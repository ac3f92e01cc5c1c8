import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { inputsOf, ofType, promiseOf } from "../../infra/offline/testing";
import { Built, networkSuite, PROJECT, RFC1035, T } from "./network.testkit";

const { suite, build, buildDefault } = networkSuite();

describe("gcp Network (mocks)", () => {
  describe("defaults (direct VPC egress)", () => {
    let b: Built;
    before(async () => (b = await buildDefault()));

    it("creates a custom-mode, regional VPC with an ASCII description", () => {
      const n = inputsOf(b.one(T.network));
      assert.equal(n.autoCreateSubnetworks, false);
      assert.equal(n.routingMode, "REGIONAL");
      assert.equal(n.deleteDefaultRoutesOnCreate, false);
      assert.equal(n.name, "net-default-vpc");
      assert.equal(n.project, PROJECT);
      assert.match(n.description, /^[\x20-\x7e]+$/);
    });

    it("creates the subnet with private Google access and flow logs on", () => {
      const s = inputsOf(b.one(T.subnet));
      assert.equal(s.ipCidrRange, "10.60.0.0/20");
      assert.equal(s.region, "us-central1");
      assert.equal(s.privateIpGoogleAccess, true);
      assert.equal(s.purpose, "PRIVATE");
      assert.equal(s.stackType, "IPV4_ONLY");
      assert.equal(s.network, b.one(T.network).id);
      assert.deepEqual(s.logConfig, {
        aggregationInterval: "INTERVAL_5_MIN",
        flowSampling: 0.5,
        metadata: "INCLUDE_ALL_METADATA",
      });
      assert.equal(s.secondaryIpRanges, undefined);
    });

    it("NATs exactly this subnet, with logging and 64 ports per VM", () => {
      const router = b.one(T.router);
      const nat = inputsOf(b.one(T.nat));
      assert.equal(inputsOf(router).network, b.one(T.network).id);
      assert.equal(nat.router, inputsOf(router).name);
      assert.equal(nat.natIpAllocateOption, "AUTO_ONLY");
      assert.equal(nat.sourceSubnetworkIpRangesToNat, "LIST_OF_SUBNETWORKS");
      assert.deepEqual(nat.subnetworks, [
        { name: b.one(T.subnet).id, sourceIpRangesToNats: ["ALL_IP_RANGES"] },
      ]);
      assert.deepEqual(nat.logConfig, { enable: true, filter: "ERRORS_ONLY" });
      assert.equal(nat.enableEndpointIndependentMapping, false);
      assert.equal(nat.minPortsPerVm, 64);
    });

    it("reserves the private services range and peers it", () => {
      const range = inputsOf(b.one(T.range));
      assert.equal(range.purpose, "VPC_PEERING");
      assert.equal(range.addressType, "INTERNAL");
      assert.equal(range.address, "10.61.0.0");
      assert.equal(range.prefixLength, 16);
      assert.equal(range.network, b.one(T.network).id);
      assert.deepEqual(range.labels, { team: "platform", env: "test" });
      const conn = inputsOf(b.one(T.connection));
      assert.equal(conn.service, "servicenetworking.googleapis.com");
      assert.deepEqual(conn.reservedPeeringRanges, [range.name]);
      assert.equal(conn.deletionPolicy, "ABANDON");
      assert.equal(conn.network, b.one(T.network).id);
    });

    it("enables compute and servicenetworking (not vpcaccess), never disabling them", () => {
      const services = b.all(T.service).map(inputsOf);
      assert.deepEqual(services.map((s) => s.service).sort(), [
        "compute.googleapis.com",
        "servicenetworking.googleapis.com",
      ]);
      for (const s of services) {
        assert.equal(s.project, PROJECT);
        assert.equal(s.disableOnDestroy, false);
        assert.equal(s.disableDependentServices, false);
      }
    });

    it("makes the network (and the other children) depend on the APIs", () => {
      const apiUrns = b.all(T.service).map((s) => s.urn);
      for (const r of b.children.filter((c) => c.type !== T.service)) {
        for (const api of apiUrns)
          assert.ok(r.dependencies.includes(api), `${r.name} does not depend on ${api}`);
      }
      assert.ok(b.one(T.network).dependencies.length >= 2);
    });

    it("parents every child to the component", () => {
      for (const r of b.children) assert.equal(r.parent, b.urn, r.name);
    });

    it("resolves the outputs contract", async () => {
      const o = await promiseOf(pulumi.output(b.net.outputs));
      const network = b.one(T.network);
      assert.equal(o.cloud, "gcp");
      assert.equal(o.region, "us-central1");
      assert.equal(
        o.networkId,
        `https://www.googleapis.com/compute/v1/projects/${PROJECT}/global/networks/net-default-vpc`,
      );
      assert.equal(o.networkName, "net-default-vpc");
      assert.deepEqual(o.zones, ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"]);
      assert.deepEqual(o.subnets, {
        public: [],
        private: [b.one(T.subnet).id],
        isolated: [b.one(T.range).id],
      });
      assert.deepEqual(o.egress, { strategy: "cloudNat", natGateways: 1 });
      assert.deepEqual(o.cidrs, { subnet: "10.60.0.0/20", privateServices: "10.61.0.0/16" });
      assert.equal(await promiseOf(b.net.networkId), network.id);
      assert.equal(await promiseOf(b.net.networkSelfLink), o.networkId);
      assert.equal(await promiseOf(b.net.subnetName), "net-default-subnet");
      assert.equal(await promiseOf(b.net.routerName), "net-default-router");
      assert.equal(await promiseOf(b.net.natName), "net-default-nat");
      assert.equal(await promiseOf(b.net.privateServicesRangeName), "net-default-psa-range");
      assert.equal(await promiseOf(b.net.privateServicesConnectionId), b.one(T.connection).id);
      assert.deepEqual(b.net.labels, { team: "platform", env: "test" });
    });

    it("routes the network's flow, firewall and NAT logs to its own bucket, stored once", async () => {
      const bucket = inputsOf(b.one("gcp:logging/projectBucketConfig:ProjectBucketConfig"));
      assert.equal(bucket.bucketId, "net-default-logs");
      assert.equal(bucket.location, "us-central1");
      assert.equal(bucket.retentionDays, 30);
      const sink = inputsOf(b.one("gcp:logging/projectSink:ProjectSink"));
      assert.equal(
        sink.destination,
        "logging.googleapis.com/projects/meridian-test-123/locations/us-central1/buckets/net-default-logs",
      );
      for (const part of [
        'log_id("compute.googleapis.com/vpc_flows") AND resource.labels.subnetwork_name="net-default-subnet"',
        'log_id("compute.googleapis.com/firewall") AND jsonPayload.instance.vpc.vpc_name="net-default-vpc"',
        'log_id("compute.googleapis.com/nat_flows") AND resource.labels.gateway_name="net-default-nat"',
      ])
        assert.ok(sink.filter.includes(part), `sink filter lacks ${part}: ${sink.filter}`);
      const exclusion = inputsOf(b.one("gcp:logging/projectExclusion:ProjectExclusion"));
      assert.equal(
        exclusion.filter,
        sink.filter,
        "the _Default exclusion must match exactly what the sink routes",
      );
      assert.equal(
        await promiseOf(b.net.logBucketId),
        b.one("gcp:logging/projectBucketConfig:ProjectBucketConfig").id,
      );
    });

    it("resolves the posture", () => {
      assert.deepEqual(b.net.posture, {
        flowLogs: { enabled: true, destination: "cloud-logging-bucket:net-default-logs", retentionDays: 30 },
        denyByDefaultIngress: true,
        privateApiAccess: ["private-google-access", "private-services-access"],
        isolatedTier: true,
      });
    });

    it("registers its outputs on the component", () => {
      const component = suite.session.byUrn(b.urn);
      assert.ok(component);
      for (const key of ["networkId", "subnetId", "cloudRunVpcAccess", "zones", "outputs", "posture"]) {
        assert.ok(key in component.outputs, `registered outputs lack ${key}`);
      }
    });
  });

  describe("options", () => {
    it("enableApis: false creates no Service resources and no API dependencies", async () => {
      const b = await build("net-noapi", { enableApis: false, serverlessEgress: "connector" });
      assert.equal(b.all(T.service).length, 0);
      assert.deepEqual(b.one(T.network).dependencies, []);
    });

    it("adds pods/services secondary ranges and lists them in cidrs", async () => {
      const b = await build("net-gke", {
        secondaryRanges: { pods: "10.64.0.0/14", services: "10.68.0.0/20" },
      });
      assert.deepEqual(inputsOf(b.one(T.subnet)).secondaryIpRanges, [
        { rangeName: "pods", ipCidrRange: "10.64.0.0/14" },
        { rangeName: "services", ipCidrRange: "10.68.0.0/20" },
      ]);
      const o = await promiseOf(pulumi.output(b.net.outputs));
      assert.equal(o.cidrs.pods, "10.64.0.0/14");
      assert.equal(o.cidrs.services, "10.68.0.0/20");
    });

    it("passes flow log, NAT log and health-check settings through", async () => {
      const b = await build("net-tuned", {
        flowLogs: {
          aggregationInterval: "INTERVAL_1_MIN",
          flowSampling: 1,
          metadata: "EXCLUDE_ALL_METADATA",
          retentionDays: 400,
        },
        natLogFilter: "ALL",
        healthCheckPorts: [8080, 9090],
        privateServicesCidr: "192.168.0.0/24",
      });
      assert.deepEqual(inputsOf(b.one(T.subnet)).logConfig, {
        aggregationInterval: "INTERVAL_1_MIN",
        flowSampling: 1,
        metadata: "EXCLUDE_ALL_METADATA",
      });
      assert.deepEqual(inputsOf(b.one(T.nat)).logConfig, { enable: true, filter: "ALL" });
      assert.equal(inputsOf(b.one("gcp:logging/projectBucketConfig:ProjectBucketConfig")).retentionDays, 400);
      assert.equal(b.net.posture.flowLogs.retentionDays, 400);
      assert.deepEqual(inputsOf(b.byName("net-tuned-allow-health-checks")).allows, [
        { protocol: "tcp", ports: ["8080", "9090"] },
      ]);
      const range = inputsOf(b.one(T.range));
      assert.equal(range.address, "192.168.0.0");
      assert.equal(range.prefixLength, 24);
      assert.equal(range.labels, undefined);
    });

    it("applies transforms in object and function form to the children", async () => {
      const seenFirewalls: string[] = [];
      const b = await build("net-tx", {
        serverlessEgress: "connector",
        transform: {
          network: { mtu: 1500 },
          subnetwork: (args) => {
            args.description = "patched subnet";
          },
          router: { description: "patched router" },
          nat: (args, opts) => {
            args.udpIdleTimeoutSec = 60;
            opts.protect = true;
          },
          privateServicesRange: { description: "patched range" },
          privateServicesConnection: (args) => {
            args.updateOnCreationFail = true;
          },
          connector: { maxInstances: 5 },
          firewall: (args, _opts, name) => {
            seenFirewalls.push(name);
            if (name.endsWith("allow-health-checks")) args.disabled = true;
          },
          service: { disableOnDestroy: true },
        },
      });
      assert.equal(inputsOf(b.one(T.network)).mtu, 1500);
      assert.equal(
        inputsOf(b.one(T.network)).autoCreateSubnetworks,
        false,
        "object form merges, not replaces",
      );
      assert.equal(inputsOf(b.one(T.subnet)).description, "patched subnet");
      assert.equal(inputsOf(b.one(T.router)).description, "patched router");
      assert.equal(inputsOf(b.one(T.nat)).udpIdleTimeoutSec, 60);
      assert.equal(b.one(T.nat).options.protect, true);
      assert.equal(inputsOf(b.one(T.range)).description, "patched range");
      assert.equal(inputsOf(b.one(T.connection)).updateOnCreationFail, true);
      assert.equal(inputsOf(b.one(T.connector)).maxInstances, 5);
      assert.deepEqual(seenFirewalls.sort(), ["net-tx-allow-health-checks", "net-tx-deny-all-ingress"]);
      assert.equal(inputsOf(b.byName("net-tx-allow-health-checks")).disabled, true);
      assert.equal(inputsOf(b.byName("net-tx-deny-all-ingress")).disabled, undefined);
      for (const s of b.all(T.service)) assert.equal(inputsOf(s).disableOnDestroy, true);
    });
  });

  describe("stable names (no surprise replacement)", () => {
    const STABLE_TYPES: string[] = [T.network, T.subnet, T.router, T.nat, T.range, T.connection, T.firewall];

    /** Logical-name suffix, physical-name suffix and CIDR of each stable child, with the component name stripped. */
    function shape(b: Built, name: string) {
      return b.children
        .filter((r) => STABLE_TYPES.includes(r.type))
        .map((r) => {
          const i = inputsOf(r);
          assert.ok(r.name.startsWith(`${name}-`), r.name);
          return {
            type: r.type,
            logical: r.name.slice(name.length),
            physical: typeof i.name === "string" ? i.name.replace(name, "<name>") : undefined,
            cidr: i.ipCidrRange ?? (i.address ? `${i.address}/${i.prefixLength}` : undefined),
          };
        })
        .sort((x, y) => x.logical.localeCompare(y.logical));
    }

    it("keeps network/subnet/router/NAT/range names and CIDRs when unrelated options change", async () => {
      const a = await build("stab-a");
      const b = await build("stab-b", {
        serverlessEgress: "connector",
        natLogFilter: "ALL",
        flowLogs: {
          flowSampling: 1,
          aggregationInterval: "INTERVAL_5_SEC",
          metadata: "EXCLUDE_ALL_METADATA",
        },
        connector: { minInstances: 3, maxInstances: 6 },
        healthCheckPorts: [80],
      });
      const c = await build("stab-c", { enableApis: false, natLogFilter: "TRANSLATIONS_ONLY" });
      const sa = shape(a, "stab-a");
      assert.equal(sa.length, 8);
      assert.deepEqual(shape(b, "stab-b"), sa);
      assert.deepEqual(shape(c, "stab-c"), sa);
      // Beyond names and CIDRs: the network's inputs are identical, the subnet's differ only in logConfig
      // (an in-place update), so neither is replaced.
      const normalized = (x: Built, name: string, type: string) => {
        const { logConfig: _ignored, ...rest } = inputsOf(x.one(type));
        return JSON.parse(JSON.stringify(rest).replaceAll(name, "<name>"));
      };
      for (const type of [T.network, T.subnet]) {
        assert.deepEqual(normalized(b, "stab-b", type), normalized(a, "stab-a", type), type);
        assert.deepEqual(normalized(c, "stab-c", type), normalized(a, "stab-a", type), type);
      }
      const subnet = sa.find((s) => s.type === T.subnet);
      assert.deepEqual(subnet, {
        type: T.subnet,
        logical: "-subnet",
        physical: "<name>-subnet",
        cidr: "10.60.0.0/20",
      });
    });

    it("keeps physical names within GCP limits for a long component name", async () => {
      const name = "meridian-production-europe-west1-network";
      const b = await build(name, {
        region: "europe-west1",
        serverlessEgress: "connector",
        secondaryRanges: { pods: "10.64.0.0/14", services: "10.68.0.0/20" },
      });
      const named = b.children.filter((r) => typeof inputsOf(r).name === "string");
      // network, subnet, router, NAT, range, connector, two firewall rules, log sink and exclusion
      // (the connection and APIs have no name; the log bucket's is checked below)
      assert.equal(named.length, 10);
      const bucketId: string = inputsOf(
        b.one("gcp:logging/projectBucketConfig:ProjectBucketConfig"),
      ).bucketId;
      assert.match(bucketId, /^[a-z0-9_.-]{1,100}$/);
      for (const r of named) {
        const n: string = inputsOf(r).name;
        assert.match(n, RFC1035, `${r.type} ${n}`);
        assert.ok(n.length <= (r.type === T.connector ? 25 : 63), `${r.type} name ${n} is ${n.length} chars`);
      }
      const connectorName: string = inputsOf(b.one(T.connector)).name;
      assert.ok(connectorName.startsWith("meridian-"), connectorName);
      // Truncation is deterministic: the same component name gives the same connector name.
      assert.equal(
        connectorName,
        (await import("../shared/naming")).physicalName("gcp:vpcConnector", name, "connector"),
      );
      assert.deepEqual(await promiseOf(b.net.zones), ["europe-west1-b", "europe-west1-c", "europe-west1-d"]);
      assert.equal(inputsOf(b.one(T.subnet)).region, "europe-west1");
    });
  });

  describe("session-wide", () => {
    it("every network captured in this suite.session is custom mode", () => {
      const networks = ofType(suite.session, T.network);
      assert.ok(networks.length >= 8, `only ${networks.length} networks captured`);
      for (const n of networks) assert.equal(inputsOf(n).autoCreateSubnetworks, false, n.name);
    });
  });
});

import { strict as assert } from "node:assert";
import { componentSuite, inputsOf, promiseOf } from "../../infra/offline/testing";
import type * as GkeModule from "./gke";

const PROJECT = "meridian-test-1234";
const CLUSTER = "gcp:container/cluster:Cluster";

const suite = componentSuite({
  load: () => import("./gke"),
  config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
});

const BASE = {
  project: PROJECT,
  region: "us-central1",
  networkSelfLink: "projects/p/global/networks/vpc",
  subnetSelfLink: "projects/p/regions/us-central1/subnetworks/subnet",
};

async function build(name: string, args: Partial<GkeModule.GkeClusterArgs> = {}) {
  const c = await suite.capture(new suite.mod.GkeCluster(name, { ...BASE, ...args }));
  return { ...c, cluster: inputsOf(c.one(CLUSTER)) };
}

describe("gcp GkeCluster (mocks)", () => {
  it("is an Autopilot cluster with private nodes in the network's pods/services ranges", async () => {
    const { cluster } = await build("gke-net");
    assert.equal(cluster.enableAutopilot, true);
    assert.equal(cluster.location, "us-central1");
    assert.equal(cluster.subnetwork, BASE.subnetSelfLink);
    assert.deepEqual(cluster.ipAllocationPolicy, {
      clusterSecondaryRangeName: "pods",
      servicesSecondaryRangeName: "services",
    });
    assert.equal(cluster.privateClusterConfig.enablePrivateNodes, true);
  });

  it("closes the IP endpoint to the internet unless networks are authorised, and keeps the IAM-guarded DNS endpoint", async () => {
    const closed = (await build("gke-cp")).cluster;
    assert.deepEqual(closed.masterAuthorizedNetworksConfig, {
      cidrBlocks: [],
      gcpPublicCidrsAccessEnabled: false,
    });
    assert.equal(closed.controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic, true);
    const open = (await build("gke-cp2", { authorizedNetworks: ["203.0.113.0/24"] })).cluster;
    assert.deepEqual(open.masterAuthorizedNetworksConfig.cidrBlocks, [
      { cidrBlock: "203.0.113.0/24", displayName: "authorised" },
    ]);
  });

  it("turns on Workload Identity, Dataplane V2, shielded nodes, managed Prometheus, Secret Manager and the Gateway API", async () => {
    const b = await build("gke-features");
    const c = b.cluster;
    assert.equal(c.workloadIdentityConfig.workloadPool, `${PROJECT}.svc.id.goog`);
    assert.equal(c.datapathProvider, "ADVANCED_DATAPATH");
    assert.equal(c.enableShieldedNodes, true);
    assert.deepEqual(c.loggingConfig.enableComponents, ["SYSTEM_COMPONENTS", "WORKLOADS"]);
    assert.equal(c.monitoringConfig.managedPrometheus.enabled, true);
    assert.equal(c.secretManagerConfig.enabled, true);
    assert.equal(c.gatewayApiConfig.channel, "CHANNEL_STANDARD");
    assert.deepEqual(c.releaseChannel, { channel: "REGULAR" });
    assert.equal(c.deletionProtection, true);
    assert.ok(c.name.length <= 40, "GKE cluster names are at most 40 characters");
    assert.equal(await promiseOf(b.component.workloadPool), `${PROJECT}.svc.id.goog`);
  });

  it("applies the transform to the cluster", async () => {
    const { cluster } = await build("gke-tr", { transform: { cluster: { description: "patched" } } });
    assert.equal(cluster.description, "patched");
  });

  it("refuses bad args with the field and what is allowed", () => {
    const bad = (args: Partial<GkeModule.GkeClusterArgs>, re: RegExp) =>
      assert.throws(() => new suite.mod.GkeCluster("gke-bad", { ...BASE, ...args }), re);
    bad({ releaseChannel: "NIGHTLY" as never }, /GkeCluster "gke-bad": releaseChannel is "NIGHTLY"/);
    bad({ authorizedNetworks: ["0.0.0.0/0"] }, /never the whole internet/);
    bad({ authorizedNetworks: ["10.0.0.300/24"] }, /allowed: IPv4 CIDRs/);
    bad({ region: "us" }, /region is "us"; allowed: a GCP region name/);
    bad({ subnetSelfLink: "" }, /subnetSelfLink is ""; it is required/);
  });
});

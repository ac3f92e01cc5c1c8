import { strict as assert } from "node:assert";
import type * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { inputsOf, promiseOf } from "../../infra/offline/testing";
import { Built, networkSuite, PROJECT, T } from "./network.testkit";

const { build, buildDefault } = networkSuite();

describe("gcp Network (mocks)", () => {
  describe("defaults (direct VPC egress)", () => {
    let b: Built;
    before(async () => (b = await buildDefault()));

    it("creates no connector and exposes Direct VPC egress for Cloud Run", async () => {
      assert.equal(b.all(T.connector).length, 0);
      assert.equal(b.net.connectorId, undefined);
      assert.deepEqual(await promiseOf(b.net.cloudRunVpcAccess), {
        egress: "PRIVATE_RANGES_ONLY",
        networkInterfaces: [{ network: "net-default-vpc", subnetwork: "net-default-subnet" }],
      });
      // Compile-time: the output is what a Cloud Run v2 service's template.vpcAccess takes.
      const _typed: pulumi.Input<gcp.types.input.cloudrunv2.ServiceTemplateVpcAccess> =
        b.net.cloudRunVpcAccess;
      void _typed;
    });
  });

  describe("connector mode", () => {
    let b: Built;
    before(async () => {
      b = await build("net-conn", {
        serverlessEgress: "connector",
        connector: { minInstances: 2, maxInstances: 4, machineType: "e2-standard-4" },
      });
    });

    it("creates a connector in its /28 on this network", () => {
      const c = inputsOf(b.one(T.connector));
      assert.equal(c.ipCidrRange, "10.62.0.0/28");
      assert.equal(c.network, "net-conn-vpc");
      assert.equal(c.region, "us-central1");
      assert.equal(c.minInstances, 2);
      assert.equal(c.maxInstances, 4);
      assert.equal(c.machineType, "e2-standard-4");
      assert.ok(c.name.length <= 25);
    });

    it("enables vpcaccess.googleapis.com and the connector depends on it", () => {
      const vpcaccess = b.all(T.service).find((s) => inputsOf(s).service === "vpcaccess.googleapis.com");
      assert.ok(vpcaccess, "vpcaccess API not enabled");
      assert.ok(b.one(T.connector).dependencies.includes(vpcaccess.urn));
    });

    it("hands Cloud Run the connector id", async () => {
      const id = b.one(T.connector).id;
      assert.equal(id, `projects/${PROJECT}/locations/us-central1/connectors/net-conn-connector`);
      assert.deepEqual(await promiseOf(b.net.cloudRunVpcAccess), {
        egress: "PRIVATE_RANGES_ONLY",
        connector: id,
      });
      assert.ok(b.net.connectorId);
      assert.equal(await promiseOf(b.net.connectorId), id);
    });

    it("lists the connector range in the contract's cidrs", async () => {
      const o = await promiseOf(pulumi.output(b.net.outputs));
      assert.equal(o.cidrs.connector, "10.62.0.0/28");
    });
  });
});

import { strict as assert } from "node:assert";
import { inputsOf, promiseOf } from "../../infra/offline/testing";
import { type Built, networkSuite, T } from "./network.testkit";

const { build } = networkSuite();

describe("aws Network VPC endpoints (mocks)", () => {
  describe("defaults: 2 AZs, single NAT", () => {
    let b: Built;
    before(async () => {
      b = await build("net-default");
    });

    it("attaches the S3 gateway endpoint to every route table", () => {
      const s3 = inputsOf(b.byName("s3"));
      assert.equal(s3.vpcEndpointType, "Gateway");
      assert.equal(s3.serviceName, "com.amazonaws.us-east-1.s3");
      assert.equal(s3.vpcId, b.one(T.vpc).id);
      const expected = ["public-rt", "private-a-rt", "private-b-rt", "isolated-rt"].map(
        (n) => b.byName(n).id,
      );
      assert.deepEqual([...s3.routeTableIds].sort(), [...expected].sort());
      assert.equal(b.all(T.endpoint).length, 1, "no interface endpoints by default");
      assert.equal(b.all(T.securityGroup).length, 0);
    });
  });

  describe("options", () => {
    it("interface endpoints: private subnets, private DNS, a security group allowing 443 from the VPC only", async () => {
      const b = await build("net-vpce", {
        cidr: "10.41.0.0/16",
        interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"],
      });
      const sg = b.one(T.securityGroup);
      const sgIn = inputsOf(sg);
      assert.equal(sgIn.vpcId, b.one(T.vpc).id);
      assert.deepEqual(
        sgIn.ingress.map((r: any) => [r.protocol, r.fromPort, r.toPort, r.cidrBlocks]),
        [["tcp", 443, 443, ["10.41.0.0/16"]]],
      );
      assert.deepEqual(sgIn.egress, []);
      assert.match(sgIn.description, /^[\x20-\x7e]+$/);
      assert.deepEqual(b.suffixes(T.endpoint), ["s3", "vpce-ecr-api", "vpce-ecr-dkr", "vpce-logs"]);
      const privateIds = [b.byName("private-a").id, b.byName("private-b").id];
      for (const svc of ["ecr.api", "ecr.dkr", "logs"]) {
        const e = inputsOf(b.byName(`vpce-${svc.replace(".", "-")}`));
        assert.equal(e.vpcEndpointType, "Interface");
        assert.equal(e.serviceName, `com.amazonaws.us-east-1.${svc}`);
        assert.equal(e.privateDnsEnabled, true);
        assert.deepEqual(e.subnetIds, privateIds);
        assert.deepEqual(e.securityGroupIds, [sg.id]);
      }
      assert.deepEqual(b.net.posture.privateApiAccess, ["s3-gateway-endpoint", "ecr.api", "ecr.dkr", "logs"]);
      assert.deepEqual(Object.keys(await promiseOf(b.net.interfaceEndpointIds)), [
        "ecr.api",
        "ecr.dkr",
        "logs",
      ]);
    });
  });
});

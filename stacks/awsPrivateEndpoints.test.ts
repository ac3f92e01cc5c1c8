import assert from "node:assert/strict";
import { privateEndpointsFor } from "./awsPrivateEndpoints";
import { validateInterfaceEndpoints } from "../components/aws/network";

describe("stacks/awsPrivateEndpoints: interface endpoints without a NAT gateway", () => {
  it("none: ECR (API and registry), CloudWatch Logs and Secrets Manager, valid for Network", () => {
    const eps = privateEndpointsFor("none", false);
    assert.deepEqual(eps, ["ecr.api", "ecr.dkr", "logs", "secretsmanager"]);
    assert.deepEqual(validateInterfaceEndpoints(eps), eps);
  });

  it("none with the collector sidecar adds X-Ray", () => {
    assert.deepEqual(privateEndpointsFor("none", true), [
      "ecr.api",
      "ecr.dkr",
      "logs",
      "secretsmanager",
      "xray",
    ]);
  });

  it("single and perAz: none (the NAT gateway reaches AWS APIs), so those graphs do not change", () => {
    assert.deepEqual(privateEndpointsFor("single", true), []);
    assert.deepEqual(privateEndpointsFor("perAz", false), []);
  });
});

import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { checkStatement, policyJson, serviceTrustJson, UNSCOPABLE_ACTIONS } from "./iam";

const resolve = <T>(o: pulumi.Output<T>): Promise<T> =>
  new Promise((res) => {
    o.apply((v) => {
      res(v);
      return v;
    });
  });

describe("aws iam helpers", () => {
  it("rejects wildcard actions, naming the action and what is allowed", () => {
    for (const a of ["*", "s3:*", "s3:Get*", "iam:Pass*Role"]) {
      assert.throws(
        () => checkStatement({ actions: [a], resources: ["arn:aws:s3:::b"] }, "task policy statement 1"),
        new RegExp(
          `task policy statement 1: action "${a.replace(/\*/g, "\\*")}" is not allowed; allowed: one explicit`,
        ),
      );
    }
  });

  it('accepts Resource "*" only for actions AWS cannot scope', () => {
    checkStatement({ actions: ["ecr:GetAuthorizationToken"], resources: ["*"] }, "x");
    assert.throws(
      () =>
        checkStatement(
          { actions: ["ecr:GetAuthorizationToken", "ecr:BatchGetImage"], resources: ["*"] },
          "x",
        ),
      /name the ARNs for ecr:BatchGetImage/,
    );
    assert.ok(UNSCOPABLE_ACTIONS.every((a) => /^[a-z0-9-]+:[A-Za-z]+$/.test(a)));
  });

  it("renders a policy document with resolved outputs", async () => {
    const json = await resolve(
      policyJson([
        {
          actions: ["secretsmanager:GetSecretValue"],
          resources: [pulumi.output("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf")],
        },
      ]),
    );
    assert.deepEqual(JSON.parse(json), {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
        },
      ],
    });
  });

  it("trust policies name one service and pin the source account", async () => {
    const doc = JSON.parse(await resolve(serviceTrustJson("ecs-tasks.amazonaws.com", "123456789012")));
    assert.deepEqual(doc.Statement[0].Principal, { Service: "ecs-tasks.amazonaws.com" });
    assert.deepEqual(doc.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
  });
});

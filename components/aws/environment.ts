import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** Region, account id and partition of the provider a component runs with (for ARNs and conditions). */
export interface AwsEnvironment {
  readonly region: pulumi.Output<string>;
  readonly account: pulumi.Output<string>;
  readonly partition: pulumi.Output<string>;
}

/**
 * The environment of `parent`'s provider. Each value is looked up (one invoke) the first time it is read and
 * reused afterwards, so a component that never builds an account-scoped ARN does not ask for the account.
 */
export function awsEnvironment(parent: pulumi.Resource): AwsEnvironment {
  const opts = { parent };
  let region: pulumi.Output<string> | undefined;
  let account: pulumi.Output<string> | undefined;
  let partition: pulumi.Output<string> | undefined;
  return {
    get region() {
      return (region ??= aws.getRegionOutput({}, opts).region);
    },
    get account() {
      return (account ??= aws.getCallerIdentityOutput({}, opts).accountId);
    },
    get partition() {
      return (partition ??= aws.getPartitionOutput({}, opts).partition);
    },
  };
}

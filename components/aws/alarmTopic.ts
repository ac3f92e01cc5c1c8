/**
 * Where the AWS Observability component's alarms notify (components/aws/observability.ts): an SNS topic
 * encrypted with a customer managed KMS key whose policy lets CloudWatch alarms publish (unless a key is
 * given), and an optional email subscription. Not alias/aws/sns: CloudWatch alarms cannot publish to a
 * topic encrypted with the AWS managed key, whose policy cannot be changed (see `topicKmsKeyArn` in
 * `observabilityArgs.ts`).
 *
 * Cost: KMS key $1/month; SNS email $2 per 100,000 notifications (first 1,000/month free).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { asciiDescription, physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import type { AwsEnvironment } from "./environment";
import type { ObservabilityKit } from "./observabilityArgs";

/**
 * Creates `<name>-alarms` (with `<name>-alarm-topic-key` when `topicKmsKeyArn` is undefined) and, with
 * `alertEmail`, `<name>-alarms-email`. Returns the topic and the key it created (none when one was given).
 */
export function createAlarmTopic(
  kit: ObservabilityKit,
  env: AwsEnvironment,
  topicKmsKeyArn: pulumi.Input<string> | undefined,
  alertEmail: string | undefined,
): { topic: aws.sns.Topic; key?: aws.kms.Key } {
  const { name, transform: t, childOpts, tagsFor } = kit;
  let keyArn: pulumi.Input<string> | undefined = topicKmsKeyArn;
  let created: aws.kms.Key | undefined;
  if (keyArn === undefined) {
    const { account, partition } = env;
    const key = new aws.kms.Key(
      ...applyTransform(
        t.topicKey,
        `${name}-alarm-topic-key`,
        {
          description: asciiDescription(`Encrypts the alarm topic of ${name}; CloudWatch alarms may use it`),
          enableKeyRotation: true,
          deletionWindowInDays: 30,
          policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
              {
                // The default key policy: the account administers the key through IAM (without it the key
                // would be unmanageable).
                Sid: "AccountAdministersKeyThroughIam",
                Effect: "Allow",
                Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:root` },
                Action: "kms:*",
                Resource: "*",
              },
              {
                Sid: "CloudWatchAlarmsPublishToEncryptedTopic",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": account } },
              },
            ],
          }),
          tags: tagsFor(`${name}-alarm-topic-key`),
        },
        childOpts(),
      ),
    );
    keyArn = key.arn;
    created = key;
  }
  const topic = new aws.sns.Topic(
    ...applyTransform(
      t.topic,
      `${name}-alarms`,
      {
        name: physicalName("aws:ecs", name, "alarms"),
        displayName: asciiDescription(`Meridian alarms ${name}`).slice(0, 100),
        kmsMasterKeyId: keyArn,
        tags: tagsFor(`${name}-alarms`),
      },
      childOpts(),
    ),
  );
  if (alertEmail) {
    new aws.sns.TopicSubscription(
      ...applyTransform(
        t.subscription,
        `${name}-alarms-email`,
        { topic: topic.arn, protocol: "email", endpoint: alertEmail },
        childOpts(),
      ),
    );
  }
  return { topic, key: created };
}

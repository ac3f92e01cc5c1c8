/**
 * The `release` stack outputs (components/shared/contracts.ts `ReleaseOutputs`): what an app developer and
 * the delivery workflow read to push an image, run the schema migration once, and roll out
 * (docs/runbooks/release.md). Built from the components' outputs; nothing here creates resources.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ReleaseOutputs } from "../components/shared/contracts";

/** The host part of an image repository (`<account>.dkr.ecr.<region>.amazonaws.com`, `<region>-docker.pkg.dev`). */
export function registryHostOf(repository: string): string {
  return repository.split("/")[0];
}

/**
 * AWS: ECR repository, ECS cluster and service, and `aws ecs run-task` of the migrate task definition revision
 * this deployment created, in the private subnets with the task security group, waiting for it to stop and
 * failing unless the `api` container exited 0.
 */
export function awsRelease(args: {
  region: string;
  repositoryUrl: pulumi.Input<string>;
  clusterName: pulumi.Input<string>;
  serviceName: pulumi.Input<string>;
  migrateTaskDefinitionArn: pulumi.Input<string>;
  subnetIds: pulumi.Input<string[]>;
  securityGroupId: pulumi.Input<string>;
  containerName: string;
}): ReleaseOutputs {
  const a = pulumi.output(args);
  return {
    imageRepository: a.repositoryUrl,
    registryHost: a.repositoryUrl.apply(registryHostOf),
    service: { name: a.serviceName, scope: a.clusterName },
    migrate: {
      // arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>
      name: a.migrateTaskDefinitionArn.apply((arn) => arn.split("/").pop()!.split(":")[0]),
      command: a.apply((x) => {
        const network = `awsvpcConfiguration={subnets=[${x.subnetIds.join(",")}],securityGroups=[${x.securityGroupId}],assignPublicIp=DISABLED}`;
        const ecs = `aws ecs --region ${x.region}`;
        const cluster = `--cluster ${x.clusterName}`;
        return [
          `TASK=$(${ecs} run-task ${cluster} --task-definition ${x.migrateTaskDefinitionArn} --launch-type FARGATE`,
          `--network-configuration '${network}' --started-by release-migrate --query 'tasks[0].taskArn' --output text)`,
          `&& ${ecs} wait tasks-stopped ${cluster} --tasks "$TASK"`,
          `&& test "$(${ecs} describe-tasks ${cluster} --tasks "$TASK"`,
          `--query 'tasks[0].containers[?name==\`${x.containerName}\`].exitCode | [0]' --output text)" = 0`,
        ].join(" ");
      }),
    },
  };
}

/** GCP: Artifact Registry path of the `api` image, Cloud Run service, and the migrate Cloud Run job. */
export function gcpRelease(args: {
  project: pulumi.Input<string>;
  region: pulumi.Input<string>;
  repositoryUrl: pulumi.Input<string>;
  serviceName: pulumi.Input<string>;
  migrateJobName: pulumi.Input<string>;
  migrateCommand: pulumi.Input<string>;
}): ReleaseOutputs {
  const a = pulumi.output(args);
  return {
    imageRepository: pulumi.interpolate`${a.repositoryUrl}/api`,
    registryHost: a.repositoryUrl.apply(registryHostOf),
    service: { name: a.serviceName, scope: pulumi.interpolate`projects/${a.project}/locations/${a.region}` },
    migrate: { name: a.migrateJobName, command: a.migrateCommand },
  };
}

/**
 * GCP with `meridian:runtime = gke`: Artifact Registry path of the `api` image, the Deployment in its
 * namespace of the cluster, and the migrate Job. `pulumi up` replaces that Job for a new image and waits
 * for it before the Deployment rolls; the command fetches credentials for the cluster's DNS endpoint and
 * waits until the Job has completed (non-zero exit after 30 minutes without completion, e.g. when it failed).
 */
export function gkeRelease(args: {
  project: pulumi.Input<string>;
  region: pulumi.Input<string>;
  repositoryUrl: pulumi.Input<string>;
  clusterName: pulumi.Input<string>;
  namespace: pulumi.Input<string>;
  deploymentName: pulumi.Input<string>;
  migrateJobName: pulumi.Input<string>;
}): ReleaseOutputs {
  const a = pulumi.output(args);
  return {
    imageRepository: pulumi.interpolate`${a.repositoryUrl}/api`,
    registryHost: a.repositoryUrl.apply(registryHostOf),
    service: {
      name: a.deploymentName,
      scope: pulumi.interpolate`projects/${a.project}/locations/${a.region}/clusters/${a.clusterName}/namespaces/${a.namespace}`,
    },
    migrate: {
      name: a.migrateJobName,
      command: a.apply((x) => {
        const kubectl = `kubectl --namespace ${x.namespace}`;
        return [
          `gcloud container clusters get-credentials ${x.clusterName} --region ${x.region} --project ${x.project} --dns-endpoint`,
          `&& ${kubectl} wait --for=condition=complete job/${x.migrateJobName} --timeout=1800s`,
        ].join(" ");
      }),
    },
  };
}

/**
 * The service's two Fargate task definitions: the API (`<name>-task`, family `<name>`) and the one-off
 * `migrate` task (`<name>-migrate-task`, family `<name>-migrate`, run before a rollout). Both linux/amd64,
 * `awsvpc`, the requested CPU/memory, the same task and execution roles, and an ephemeral `tmp` volume (the
 * containers' only writable path; containers.ts). Tested in taskDefinition.mock.test.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../shared/naming";
import { applyTransform, Transform } from "../shared/transform";
import { containerDefinitions, MIGRATE_COMMAND } from "./containers";
import type { ServiceRoles } from "./serviceIam";
import type { ServiceKit } from "./serviceSettings";

/** The service's task definitions. */
export interface ServiceTaskDefinitions {
  /** The API (the ECS service runs it). */
  taskDefinition: aws.ecs.TaskDefinition;
  /** The one-off `node dist/cli.js migrate`. */
  migrate: aws.ecs.TaskDefinition;
}

/** Creates the API task definition, then the migrate one; their containers log to `logGroupName`. */
export function createTaskDefinitions(
  kit: ServiceKit,
  roles: ServiceRoles,
  logGroupName: string,
  region: pulumi.Input<string>,
): ServiceTaskDefinitions {
  const name = kit.name;
  const taskDefinition = createTaskDefinition(
    kit,
    kit.t.taskDefinition,
    `${name}-task`,
    physicalName("aws:ecs", name),
    containerDefinitions(name, kit.s, logGroupName, region, undefined),
    roles,
  );
  const migrate = createTaskDefinition(
    kit,
    kit.t.migrateTaskDefinition,
    `${name}-migrate-task`,
    physicalName("aws:ecs", name, "migrate"),
    containerDefinitions(name, kit.s, logGroupName, region, [...MIGRATE_COMMAND]),
    roles,
  );
  return { taskDefinition, migrate };
}

function createTaskDefinition(
  kit: ServiceKit,
  transform: Transform<aws.ecs.TaskDefinitionArgs> | undefined,
  logicalName: string,
  family: string,
  containerDefinitions: pulumi.Output<string>,
  roles: ServiceRoles,
): aws.ecs.TaskDefinition {
  return new aws.ecs.TaskDefinition(
    ...applyTransform(
      transform,
      logicalName,
      {
        family,
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: String(kit.s.cpu),
        memory: String(kit.s.memoryMiB),
        runtimePlatform: { cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX" },
        taskRoleArn: roles.task.role.arn,
        executionRoleArn: roles.execution.role.arn,
        // Fargate has no tmpfs: an ephemeral bind-mount volume gives a writable /tmp on a read-only root.
        volumes: [{ name: "tmp" }],
        containerDefinitions,
        tags: kit.tagsFor(logicalName),
      },
      kit.childOpts(),
    ),
  );
}

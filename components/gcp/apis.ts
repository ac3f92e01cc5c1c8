/**
 * Enabling the Google APIs a component needs. Every GCP component takes `enableApis` (default true) and
 * enables its own services through this one function, so a fresh project deploys in one `pulumi up`.
 *
 * APIs are never disabled on destroy: other stacks and services in the project may use them, and disabling
 * compute.googleapis.com would take every VM and disk in the project with it. A platform team that manages
 * APIs centrally sets `enableApis: false`.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, Transform } from "../shared/transform";

/**
 * Enables each service (e.g. `run.googleapis.com`) as `<baseName>-api-<short>`, where short is the first
 * label (`run`). Returns the resources, for `dependsOn` of the children that need them.
 */
export function enableServices(
  baseName: string,
  project: pulumi.Input<string>,
  services: readonly string[],
  opts: pulumi.CustomResourceOptions,
  transform?: Transform<gcp.projects.ServiceArgs>,
): gcp.projects.Service[] {
  return services.map(
    (service) =>
      new gcp.projects.Service(
        ...applyTransform(
          transform,
          `${baseName}-api-${service.split(".")[0]}`,
          { project, service, disableOnDestroy: false, disableDependentServices: false },
          opts,
        ),
      ),
  );
}

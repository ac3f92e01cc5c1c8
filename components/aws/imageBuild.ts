/**
 * Builds the API image from this repository (`app/Dockerfile`, build context the repository root, linux/amd64)
 * and pushes it to an ECR repository during `pulumi up`, with @pulumi/awsx `ecr.Image` — for teams without
 * a separate delivery pipeline (`meridian:buildImage`; the pipeline in docs/runbooks/release.md is the
 * default). The stack then deploys exactly the pushed digest: `imageUri` is `<repositoryUrl>@sha256:<digest>`
 * (awsx/ecr/image.ts `computeImageFromAsset`).
 *
 * `ecr.Image` is a remote (multi-language) component: awsx's provider plugin runs the build with
 * @pulumi/docker-build, which needs a Docker engine (BuildKit) where `pulumi up` runs. In a preview the
 * digest is unknown (nothing is built), and so is every value derived from it. @pulumi/awsx is loaded only
 * when this is used: it brings the docker providers, which a stack without it never needs.
 */
import * as pulumi from "@pulumi/pulumi";

/** Where the build runs from: the Pulumi project directory (this repository's root). */
export const BUILD_CONTEXT = ".";
export const DOCKERFILE = "app/Dockerfile";
export const PLATFORM = "linux/amd64";

export interface BuiltImage {
  /** `<repositoryUrl>@sha256:<digest>` of the pushed image; unknown in a preview. */
  imageUri: pulumi.Output<string>;
}

export function buildApiImage(
  name: string,
  repositoryUrl: pulumi.Input<string>,
  opts?: pulumi.ComponentResourceOptions,
): BuiltImage {
  const awsx = require("@pulumi/awsx") as typeof import("@pulumi/awsx");
  const image = new awsx.ecr.Image(
    `${name}-image`,
    { repositoryUrl, context: BUILD_CONTEXT, dockerfile: DOCKERFILE, platform: PLATFORM },
    opts,
  );
  return { imageUri: image.imageUri };
}

/**
 * The AWS CDN's optional single-page-app rewrite (components/aws/cdn.ts, `spaRewrite: true`): a CloudFront
 * Function (cloudfront-js-2.0, viewer request, default behaviour only) that serves `/index.html` for paths
 * without a file extension and never rewrites the API paths. {@link spaRewriteCode} is pure.
 *
 * Cost: CloudFront Functions $0.10 per 1M invocations.
 */
import * as aws from "@pulumi/aws";
import { applyTransform } from "../shared/transform";
import { CdnKit, cloudfrontName } from "./cdnArgs";

/**
 * The SPA rewrite (cloudfront-js-2.0, viewer request): a path whose last segment has no `.` is served
 * `/index.html`; the API prefixes are returned untouched (the function is only on the default behaviour,
 * this is the second guard).
 */
export function spaRewriteCode(apiPaths: readonly string[]): string {
  const prefixes = apiPaths.map((p) => p.replace(/\*$/, "").replace(/\/$/, ""));
  return [
    "function handler(event) {",
    "  var request = event.request;",
    "  var uri = request.uri;",
    `  var api = ${JSON.stringify(prefixes)};`,
    "  for (var i = 0; i < api.length; i++) {",
    "    if (uri === api[i] || uri.indexOf(api[i] + '/') === 0) return request;",
    "  }",
    "  var last = uri.substring(uri.lastIndexOf('/') + 1);",
    "  if (last.indexOf('.') === -1) request.uri = '/index.html';",
    "  return request;",
    "}",
    "",
  ].join("\n");
}

/** Creates the published function `<name>-spa-rewrite` for `apiPaths`. */
export function createSpaFunction(kit: CdnKit, apiPaths: readonly string[]): aws.cloudfront.Function {
  return new aws.cloudfront.Function(
    ...applyTransform(
      kit.transform.spaFunction,
      `${kit.name}-spa-rewrite`,
      {
        name: cloudfrontName(kit.name, "spa-rewrite"),
        runtime: "cloudfront-js-2.0",
        comment: "Serves /index.html for extensionless paths; never rewrites the API paths",
        publish: true,
        code: spaRewriteCode(apiPaths),
        tags: kit.tagsFor(`${kit.name}-spa-rewrite`),
      },
      kit.childOpts(),
    ),
  );
}

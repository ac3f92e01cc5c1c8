/**
 * The AWS CDN's Origin Access Control (components/aws/cdn.ts): CloudFront signs every request to the
 * assets bucket with SigV4, so the bucket stays private and its policy admits only this distribution.
 * AWS reference: CloudFront Developer Guide, "Restrict access to an Amazon S3 origin". Free.
 */
import * as aws from "@pulumi/aws";
import { asciiDescription } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import { CdnKit, cloudfrontName } from "./cdnArgs";

/** Creates `<name>-oac` (an S3 origin, signing always, sigv4). */
export function createOriginAccessControl(kit: CdnKit): aws.cloudfront.OriginAccessControl {
  return new aws.cloudfront.OriginAccessControl(
    ...applyTransform(
      kit.transform.originAccessControl,
      `${kit.name}-oac`,
      {
        name: cloudfrontName(kit.name, "assets-oac"),
        description: asciiDescription(`CloudFront reads the assets bucket of ${kit.name}`),
        originAccessControlOriginType: "s3",
        signingBehavior: "always",
        signingProtocol: "sigv4",
      },
      kit.childOpts(),
    ),
  );
}

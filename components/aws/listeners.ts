/**
 * The ALB's listeners and rules. With a certificate: HTTPS with {@link TLS_POLICY} and, for internet
 * ingress, HTTP on 80 that only redirects to HTTPS. Without: HTTP on 80, reachable from CloudFront only.
 * With CloudFront ingress the default action is 403 and one rule (priority 10) forwards requests carrying
 * the origin-verify header; `privatePaths` answer 404 first (priority 1). Tested in
 * loadBalancer.mock.test.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform } from "../shared/transform";
import { ORIGIN_VERIFY_HEADER } from "./originSecret";
import type { ServiceKit } from "./serviceSettings";

/** The ALB TLS policy: TLS 1.3 and 1.2 only, forward-secret ciphers. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * Listeners. With a certificate: HTTPS (TLS 1.3/1.2 policy) and, for internet ingress, HTTP that only
 * redirects to HTTPS. Without: HTTP on 80 (reachable from CloudFront only). With CloudFront ingress the
 * default action is 403 and one rule forwards requests carrying the origin-verify header. Returns every
 * listener and rule (the ECS service depends on them: its target group must be attached first).
 */
export function createListeners(
  kit: ServiceKit,
  alb: aws.lb.LoadBalancer,
  tg: aws.lb.TargetGroup,
  certificateArn: pulumi.Output<string> | undefined,
  originSecret: pulumi.Output<string> | undefined,
): pulumi.Resource[] {
  const n = kit.name;
  const forward = [{ type: "forward", targetGroupArn: tg.arn }];
  const deny = [
    {
      type: "fixed-response",
      fixedResponse: { contentType: "text/plain", statusCode: "403", messageBody: "Forbidden" },
    },
  ];
  const viaCloudFront = kit.s.ingress === "cloudfront";
  const listener = (suffix: string, args: Omit<aws.lb.ListenerArgs, "loadBalancerArn" | "tags">) =>
    new aws.lb.Listener(
      ...applyTransform(
        kit.t.listener,
        `${n}-${suffix}`,
        { loadBalancerArn: alb.arn, ...args, tags: kit.tagsFor(`${n}-${suffix}`) },
        kit.childOpts(),
      ),
    );
  const rule = (suffix: string, args: Omit<aws.lb.ListenerRuleArgs, "tags">) =>
    new aws.lb.ListenerRule(
      ...applyTransform(
        kit.t.listenerRule,
        `${n}-${suffix}`,
        { ...args, tags: kit.tagsFor(`${n}-${suffix}`) },
        kit.childOpts(),
      ),
    );
  const created: pulumi.Resource[] = [];
  let main: aws.lb.Listener;
  if (certificateArn) {
    main = listener("https", {
      port: 443,
      protocol: "HTTPS",
      sslPolicy: TLS_POLICY,
      certificateArn,
      defaultActions: viaCloudFront ? deny : forward,
    });
    created.push(main);
    if (!viaCloudFront) {
      created.push(
        listener("http", {
          port: 80,
          protocol: "HTTP",
          defaultActions: [
            { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
          ],
        }),
      );
    }
  } else {
    main = listener("http", { port: 80, protocol: "HTTP", defaultActions: deny });
    created.push(main);
  }
  if (kit.s.privatePaths.length > 0) {
    // Evaluated first, on the listener that forwards: private paths never reach the tasks from outside.
    created.push(
      rule("private-paths", {
        listenerArn: main.arn,
        priority: 1,
        actions: [
          {
            type: "fixed-response",
            fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not Found" },
          },
        ],
        conditions: [{ pathPattern: { values: kit.s.privatePaths } }],
      }),
    );
  }
  if (viaCloudFront) {
    created.push(
      rule("origin-verify", {
        listenerArn: main.arn,
        priority: 10,
        actions: forward,
        conditions: [{ httpHeader: { httpHeaderName: ORIGIN_VERIFY_HEADER, values: [originSecret!] } }],
      }),
    );
  }
  return created;
}

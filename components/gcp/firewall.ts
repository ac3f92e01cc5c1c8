/**
 * The GCP Network's firewall (components/gcp/network.ts): deny by default, with logs. GCP's implied
 * deny-ingress rule (priority 65535) cannot log, so an explicit deny-all at 65534 records what was refused.
 * The only allow rule admits Google's health checkers to tagged backends (GKE / NEG backends behind a
 * Google load balancer). No rule allows 0.0.0.0/0. Reference:
 * https://cloud.google.com/firewall/docs/firewalls (implied rules), health-check ranges from
 * https://cloud.google.com/load-balancing/docs/health-check-concepts. Firewall rules are free; their logs
 * are Cloud Logging ingestion.
 */
import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { applyTransform } from "../shared/transform";
import type { NetworkContext } from "./networkArgs";

/** Google's health-check probe source ranges (the same for every load balancer family that uses them). */
export const GOOGLE_HEALTH_CHECK_RANGES = ["35.191.0.0/16", "130.211.0.0/22"] as const;

/** The network tag the health-check rule targets: put it on GKE nodes / VMs behind a Google load balancer. */
export const LB_BACKEND_TAG = "meridian-lb-backend";

/** Creates `<name>-deny-all-ingress` and `<name>-allow-health-checks` on `network`, after `apis`. */
export function createFirewall(
  ctx: NetworkContext,
  network: gcp.compute.Network,
  apis: pulumi.Resource[],
): gcp.compute.Firewall[] {
  const rule = (suffix: string, args: Omit<gcp.compute.FirewallArgs, "network" | "project" | "name">) =>
    new gcp.compute.Firewall(
      ...applyTransform(
        ctx.transforms.firewall,
        `${ctx.baseName}-${suffix}`,
        { project: ctx.project, name: ctx.physical(suffix), network: network.id, ...args },
        ctx.childOpts(apis),
      ),
    );
  return [
    rule("deny-all-ingress", {
      description: "Deny and log all ingress not allowed by a higher-priority rule",
      direction: "INGRESS",
      priority: 65534,
      denies: [{ protocol: "all" }],
      sourceRanges: ["0.0.0.0/0"],
      logConfig: { metadata: "INCLUDE_ALL_METADATA" },
    }),
    rule("allow-health-checks", {
      description: `Allow Google health checks to instances tagged ${LB_BACKEND_TAG}`,
      direction: "INGRESS",
      priority: 1000,
      allows: [{ protocol: "tcp", ports: ctx.settings.healthCheckPorts.map(String) }],
      sourceRanges: [...GOOGLE_HEALTH_CHECK_RANGES],
      targetTags: [LB_BACKEND_TAG],
      logConfig: { metadata: "INCLUDE_ALL_METADATA" },
    }),
  ];
}

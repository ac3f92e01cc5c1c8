/**
 * What every object of the Kubernetes workload shares: the standard labels, the selector, names checked
 * against Kubernetes' rules, and the workload contract (docs/app.md): port, probe paths, commands, the drain
 * budget. Pure; no resources.
 */
import { show } from "../shared/validate";

/** The API's container port (docs/app.md `listen`). */
export const API_PORT = 8080;
/** The name of the API's container and of its Service port. */
export const API_CONTAINER = "api";
/** Readiness (`/health/ready`: DB reachable, schema current, not draining) and liveness (`/health/live`) paths. */
export const READY_PATH = "/health/ready";
export const LIVE_PATH = "/health/live";
/** The workload contract's one-off and scheduled commands. */
export const MIGRATE_ARGS = ["node", "dist/cli.js", "migrate"] as const;
export const SERVER_ARGS = ["node", "dist/server.js"] as const;
export function jobArgs(jobName: string): string[] {
  return ["node", "dist/cli.js", "job", jobName];
}
/** The app's drain budget on SIGTERM (docs/app.md `SHUTDOWN_TIMEOUT_MS` default), in seconds. */
export const DRAIN_SECONDS = 20;
/**
 * How long the `preStop` hook sleeps before SIGTERM, so the load balancer takes the Pod out of its NEG before
 * the app stops accepting (GKE: NEG endpoint removal takes a few seconds).
 */
export const PRESTOP_SECONDS = 10;
/** Grace before SIGKILL: preStop + the app's drain budget + 5 s margin. */
export const TERMINATION_GRACE_SECONDS = PRESTOP_SECONDS + DRAIN_SECONDS + 5;

/** The labels of every object: Kubernetes' recommended `app.kubernetes.io/*` set plus the caller's. */
export function standardLabels(app: string, component: string, extra: Record<string, string> = {}) {
  return {
    "app.kubernetes.io/name": app,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": "meridian",
    "app.kubernetes.io/managed-by": "pulumi",
    ...extra,
  };
}

/** The selector of the API's Pods (a subset of their labels; never changed after creation). */
export function apiSelector(app: string): Record<string, string> {
  return { "app.kubernetes.io/name": app, "app.kubernetes.io/component": "api" };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Checks a name against RFC 1123 label rules (namespaces, Services: at most 63 characters). */
export function checkDnsLabel(arg: string, value: unknown, max = 63): string {
  if (typeof value !== "string" || value.length > max || !DNS_LABEL.test(value)) {
    throw new Error(
      `${arg} is ${show(value)}; allowed: at most ${max} lowercase letters, digits and '-', starting and ending alphanumeric`,
    );
  }
  return value;
}

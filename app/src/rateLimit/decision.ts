/**
 * One request's rate-limit decision (middleware.ts decides; cache/front.ts may decide early and hand it on
 * through the request context). Its own module so types.ts can name it without importing the middleware.
 */
import type { Policy, PolicyName } from "./policies";
import type { GcraResult } from "./script";

/**
 * `skip`: no policy applies (or the cache's own refresh); `allowed` / `limited`: the GCRA answer;
 * `unavailable`: Redis could not answer (the policy fails open or closed).
 */
export type RateDecision =
  | { kind: "skip" }
  | { kind: "allowed" | "limited"; name: PolicyName; policy: Policy; result: GcraResult }
  | { kind: "unavailable"; name: PolicyName; policy: Policy; reason: string };

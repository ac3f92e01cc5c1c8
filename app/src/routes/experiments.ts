/**
 * `GET /api/experiments/{key}/assignment` (public): the visitor's stable variant of an experiment
 * (growth/experiments.ts: SHA-256 of key + visitor into weighted buckets; experiments defined in code). The
 * first call per visitor and experiment records the exposure counted by the A/B comparison. The answer is
 * per visitor, so it is `Cache-Control: private, no-store`.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Db } from "../db";
import { assignVariant, EXPERIMENTS, findExperiment } from "../growth/experiments";
import { EventRepository } from "../growth/events-repository";
import { json, problems } from "./openapi";
import { Assignment, ExperimentParams, VisitorHeader } from "../growth/schemas";
import { ProblemError } from "../problem";
import type { AppEnv } from "../types";

export function registerExperimentRoutes(app: OpenAPIHono<AppEnv>, deps: { db: Db }): void {
  const repo = new EventRepository(deps.db);
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/experiments/{key}/assignment",
      summary: "The visitor's stable variant of an experiment (records the exposure)",
      request: { params: ExperimentParams, headers: z.object({ "x-visitor-id": VisitorHeader }) },
      responses: { 200: json(Assignment, "The assigned variant"), ...problems(400, 404) },
    }),
    async (c) => {
      const { key } = c.req.valid("param");
      const visitorId = c.req.valid("header")["x-visitor-id"];
      const experiment = findExperiment(key);
      if (!experiment) {
        throw new ProblemError(
          404,
          `experiment "${key}" does not exist; known: ${Object.keys(EXPERIMENTS).join(", ")}`,
        );
      }
      const variant = assignVariant(experiment, visitorId);
      await repo.recordExposure(experiment.key, visitorId, variant.key);
      c.header("Cache-Control", "private, no-store");
      return c.json({ experiment: experiment.key, visitorId, variantKey: variant.key }, 200);
    },
  );
}

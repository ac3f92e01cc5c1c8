/**
 * `GET /api/analytics/growth/insights?from&to&experiment&limit` (admin): most searched categories,
 * demand/supply gaps by province and city, search -> WhatsApp conversion and, with `experiment`, the A/B
 * comparison by variant (definitions in growth/insights.ts, formulas in growth/statistics.ts, both in
 * docs/app-growth.md). Dates are UTC days, both inclusive; default the 30 days ending today; at most 366 days.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { authConfig, requireAdmin } from "../auth";
import type { Db } from "../db";
import type { Config } from "../env";
import { EXPERIMENTS, findExperiment } from "../growth/experiments";
import { compareArms, InsightRepository } from "../growth/insights";
import { json, problems } from "./openapi";
import { Insights, InsightsQuery } from "../growth/schemas";
import { ProblemError } from "../problem";
import type { AppEnv } from "../types";

const DAY_MS = 86_400_000;
/** Longest range one request may ask for, in days. */
export const MAX_RANGE_DAYS = 366;

export function registerAnalyticsRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: { config: Config; db: Db; now?: () => number },
): void {
  const now = deps.now ?? Date.now;
  const repo = new InsightRepository(deps.db);
  const admin = requireAdmin(authConfig(deps.config, deps.now));
  app.use("/api/analytics/*", admin);

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/analytics/growth/insights",
      summary: "Growth insights: searched categories, supply gaps, conversion, A/B comparison (admin)",
      security: [{ bearerAuth: [] }],
      request: { query: InsightsQuery },
      responses: { 200: json(Insights, "Insights for the range"), ...problems(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const toDay = q.to ?? new Date(now()).toISOString().slice(0, 10);
      const to = new Date(Date.parse(`${toDay}T00:00:00Z`) + DAY_MS);
      const fromDay = q.from ?? new Date(to.getTime() - 30 * DAY_MS).toISOString().slice(0, 10);
      const from = new Date(`${fromDay}T00:00:00Z`);
      if (from >= to) {
        throw new ProblemError(400, "invalid query: query.from must not be after query.to", {
          errors: [{ field: "query.from", message: `must not be after to (${toDay})` }],
        });
      }
      if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
        throw new ProblemError(400, `invalid query: the range must be at most ${MAX_RANGE_DAYS} days`, {
          errors: [{ field: "query.from", message: `must be at most ${MAX_RANGE_DAYS} days before to` }],
        });
      }
      let experiment = undefined;
      if (q.experiment !== undefined) {
        experiment = findExperiment(q.experiment);
        if (!experiment) {
          const known = Object.keys(EXPERIMENTS).join(", ");
          throw new ProblemError(
            400,
            `invalid query: query.experiment "${q.experiment}" is not an experiment`,
            {
              errors: [{ field: "query.experiment", message: `must be one of ${known}` }],
            },
          );
        }
      }
      const range = { from, to, limit: q.limit ?? 20 };
      const [topCategories, gaps, searchToWhatsapp, arms] = await Promise.all([
        repo.topCategories(range),
        repo.gaps(range),
        repo.searchToWhatsapp(range),
        experiment ? repo.experimentArms(experiment, range) : Promise.resolve(undefined),
      ]);
      c.header("Cache-Control", "private, no-store");
      return c.json(
        {
          from: fromDay,
          to: toDay,
          topCategories,
          gaps,
          searchToWhatsapp,
          experiment:
            experiment && arms
              ? {
                  key: experiment.key,
                  conversionTypes: [...experiment.conversionTypes],
                  variants: compareArms(experiment, arms),
                }
              : null,
        },
        200,
      );
    },
  );
}

/**
 * `POST /api/events`: batched growth events from clients (public; rate limited by the `events` policy).
 *
 * Headers `x-visitor-id` and `x-session-id` (8-64 of A-Z a-z 0-9 _ -) identify the pseudonymous visitor and
 * the session; the body is `{ "events": [ ... ] }` with 1..EVENTS_MAX_BATCH events (schema GrowthEvent). Each
 * event's `id` (a client-chosen UUID) makes retries idempotent: stored ids are skipped and counted as
 * `duplicates`. A batch is stored whole or not at all: any invalid event answers 400 naming
 * `body.events.<i>.<field>` and nothing is stored.
 *
 * `searchRecorder` builds the recorder whose middleware makes the search endpoint record SEARCH_QUERY
 * (growth/search-recorder.ts).
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Db } from "../db";
import type { Config } from "../env";
import { findExperiment } from "../growth/experiments";
import { EventRepository, type NewEvent } from "../growth/events-repository";
import { json, problems } from "./openapi";
import { EventBatchResult, eventBatch, SessionHeader, VisitorHeader } from "../growth/schemas";
import { SearchRecorder } from "../growth/search-recorder";
import type { Logger } from "../logger";
import { ProblemError, type FieldError } from "../problem";
import type { AppEnv } from "../types";

/** Oldest accepted `occurredAt` relative to the server clock (late offline batches), in milliseconds. */
export const MAX_EVENT_AGE_MS = 7 * 86_400_000;
/** Largest accepted clock skew into the future, in milliseconds. */
export const MAX_EVENT_SKEW_MS = 5 * 60_000;

/**
 * The recorder for GET /api/search/businesses: its `middleware()` records SEARCH_QUERY for searches carrying
 * `x-visitor-id` (cache hits included; never delays the response; register it before the response cache),
 * `idle()` waits for recordings in flight (shutdown).
 */
export function searchRecorder(deps: { db: Db; logger: Logger; now?: () => number }): SearchRecorder {
  return new SearchRecorder(new EventRepository(deps.db), deps.logger, 4, deps.now ?? Date.now);
}

export function registerEventRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: { config: Config; db: Db; now?: () => number },
): void {
  const now = deps.now ?? Date.now;
  const repo = new EventRepository(deps.db);

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/events",
      summary: "Record a batch of growth events (idempotent by event id)",
      request: {
        headers: z.object({ "x-visitor-id": VisitorHeader, "x-session-id": SessionHeader }),
        body: {
          required: true,
          content: { "application/json": { schema: eventBatch(deps.config.EVENTS_MAX_BATCH) } },
        },
      },
      responses: {
        200: json(EventBatchResult, "Stored (new events) and skipped (already stored) counts"),
        ...problems(400, 413, 415),
      },
    }),
    async (c) => {
      const headers = c.req.valid("header");
      const { events } = c.req.valid("json");
      const t = now();
      const errors: FieldError[] = [];
      events.forEach((e, i) => {
        const at = `body.events.${i}`;
        if (e.occurredAt !== undefined) {
          const ms = Date.parse(e.occurredAt);
          if (ms < t - MAX_EVENT_AGE_MS || ms > t + MAX_EVENT_SKEW_MS) {
            errors.push({
              field: `${at}.occurredAt`,
              message: "must be within the last 7 days and at most 5 minutes ahead of the server clock",
            });
          }
        }
        if (e.experimentKey !== undefined) {
          const experiment = findExperiment(e.experimentKey);
          if (!experiment) {
            errors.push({ field: `${at}.experimentKey`, message: `unknown experiment "${e.experimentKey}"` });
          } else if (!experiment.variants.some((v) => v.key === e.variantKey)) {
            errors.push({
              field: `${at}.variantKey`,
              message: `must be one of ${experiment.variants.map((v) => v.key).join(", ")}`,
            });
          }
        }
      });
      const ids = events.flatMap((e) => (e.businessId ? [e.businessId] : []));
      const known = await repo.existingBusinesses(ids);
      events.forEach((e, i) => {
        if (e.businessId && !known.has(e.businessId.toLowerCase())) {
          errors.push({ field: `body.events.${i}.businessId`, message: "is not a listed business" });
        }
      });
      if (errors.length > 0) {
        throw new ProblemError(
          400,
          `invalid body: ${errors.map((e) => `${e.field} ${e.message}`).join("; ")}`,
          { errors },
        );
      }
      const rows: NewEvent[] = events.map((e) => ({
        ...e,
        visitorId: headers["x-visitor-id"],
        sessionId: headers["x-session-id"],
        occurredAt: e.occurredAt ?? new Date(t).toISOString(),
      }));
      const accepted = await repo.insert(rows);
      c.header("Cache-Control", "no-store");
      return c.json({ accepted, duplicates: events.length - accepted }, 200);
    },
  );
}

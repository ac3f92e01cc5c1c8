/**
 * Request/response schemas of the growth routes (events, insights, experiments, privacy). Messages name what
 * is allowed; the validation hook in app.ts adds the field path (`body.events.0.type`, `header.x-visitor-id`).
 */
import { z } from "@hono/zod-openapi";
import { text } from "../schemas";

export const EVENT_TYPES = [
  "SEARCH_QUERY",
  "SEARCH_RESULT_CLICK",
  "CONTACT_CLICK",
  "WHATSAPP_CLICK",
  "BOOKING_INTENT",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Opaque client identifiers: 8-64 of A-Z a-z 0-9 _ - (a UUID, nanoid or ULID fits). */
export const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;
const clientIdMessage = "must be 8-64 characters of A-Z, a-z, 0-9, _ and - (e.g. a UUID)";
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const VisitorHeader = z
  .string({ error: "is required" })
  .regex(CLIENT_ID, clientIdMessage)
  .openapi({ param: { name: "x-visitor-id", in: "header" }, example: "v_5f1c2d7e9a3b4c6d" });

export const SessionHeader = z
  .string({ error: "is required" })
  .regex(CLIENT_ID, clientIdMessage)
  .openapi({ param: { name: "x-session-id", in: "header" }, example: "s_8b7a6c5d4e3f2a1b" });

export const VisitorIdParams = z.object({
  id: z
    .string()
    .regex(CLIENT_ID, clientIdMessage)
    .openapi({ param: { name: "id", in: "path" }, example: "v_5f1c2d7e9a3b4c6d" }),
});

const Key = z.string().regex(/^[a-z0-9_]{1,64}$/, "must be 1-64 characters of a-z, 0-9 and _");
const Place = text().trim().min(1, "must not be empty").max(100, "must be at most 100 characters");
/** Types that are about one business and must name it. */
const BUSINESS_TYPES = new Set<EventType>([
  "SEARCH_RESULT_CLICK",
  "CONTACT_CLICK",
  "WHATSAPP_CLICK",
  "BOOKING_INTENT",
]);

export const EventInput = z
  .object({
    id: z
      .string()
      .regex(UUID, "must be a UUID chosen by the client (the idempotency key)")
      .openapi({ format: "uuid", example: "0b7f3c1e-2a4d-4e8b-9c2d-1a2b3c4d5e6f" }),
    type: z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(", ")}` }),
    occurredAt: z.iso
      .datetime({ offset: true, error: "must be an ISO 8601 date-time, e.g. 2026-11-30T12:00:00Z" })
      .optional()
      .openapi({
        description: "When it happened (default: when received); at most 7 days old, 5 minutes ahead.",
      }),
    businessId: z
      .string()
      .regex(UUID, "must be the UUID of a listed business")
      .optional()
      .openapi({ format: "uuid", description: "Required for every type except SEARCH_QUERY." }),
    experimentKey: Key.optional().openapi({ example: "business_contact_button" }),
    variantKey: Key.optional().openapi({
      example: "whatsapp_button",
      description:
        "The variant the visitor saw (from /api/experiments/{key}/assignment); needs experimentKey.",
    }),
    query: text().trim().max(200, "must be at most 200 characters").optional(),
    category: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/, "must be a lowercase slug (a-z, 0-9, '-'), at most 64 characters")
      .optional(),
    province: Place.optional(),
    city: Place.optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (BUSINESS_TYPES.has(e.type) && e.businessId === undefined) {
      ctx.addIssue({ code: "custom", path: ["businessId"], message: `is required for ${e.type}` });
    }
    if ((e.experimentKey === undefined) !== (e.variantKey === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["variantKey"],
        message: "experimentKey and variantKey must be given together",
      });
    }
  })
  .openapi("GrowthEvent");
export type EventInput = z.output<typeof EventInput>;

/** The batch body; `max` is EVENTS_MAX_BATCH. */
export const eventBatch = (max: number) =>
  z
    .object({
      events: z
        .array(EventInput)
        .min(1, "must hold at least one event")
        .max(max, `must hold at most ${max} events (EVENTS_MAX_BATCH)`),
    })
    .strict()
    .openapi("GrowthEventBatch");

export const EventBatchResult = z
  .object({
    accepted: z.number().int().openapi({ description: "Events stored by this request." }),
    duplicates: z.number().int().openapi({ description: "Events whose id was already stored (ignored)." }),
  })
  .openapi("GrowthEventBatchResult");

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: "is not a calendar date",
    },
  );

export const InsightsQuery = z.object({
  from: isoDate.optional().openapi({
    description: "First day (UTC), inclusive; default: 29 days before `to`.",
    example: "2026-11-01",
  }),
  to: isoDate
    .optional()
    .openapi({ description: "Last day (UTC), inclusive; default: today.", example: "2026-11-30" }),
  experiment: Key.optional().openapi({
    description: "Experiment to compare by variant.",
    example: "business_contact_button",
  }),
  limit: z
    .string()
    .regex(/^\d+$/, "must be a whole number between 1 and 100")
    .transform(Number)
    .pipe(z.number().int().min(1, "must be between 1 and 100").max(100, "must be between 1 and 100"))
    .optional()
    .openapi({
      type: "integer",
      minimum: 1,
      maximum: 100,
      default: 20,
      description: "Rows per ranked list.",
    }),
});

const nullableNumber = z.number().nullable();

export const VariantStats = z
  .object({
    variantKey: z.string(),
    control: z.boolean(),
    exposures: z.number().int(),
    conversions: z.number().int(),
    rate: nullableNumber,
    difference: nullableNumber.openapi({
      description: "rate − control rate (fraction); null for the control.",
    }),
    ci95: z.tuple([z.number(), z.number()]).nullable(),
    z: nullableNumber,
    pValue: nullableNumber,
    reliable: z.boolean(),
  })
  .openapi("VariantStats");

export const Insights = z
  .object({
    from: z.string(),
    to: z.string(),
    topCategories: z.array(z.object({ category: z.string(), searches: z.number().int() })),
    gaps: z.array(
      z.object({
        province: z.string(),
        city: z.string(),
        searches: z.number().int(),
        businesses: z.number().int(),
        searchesPerBusiness: nullableNumber.openapi({
          description: "null when nothing is listed (pure demand).",
        }),
      }),
    ),
    searchToWhatsapp: z.object({
      searchSessions: z.number().int(),
      convertedSessions: z.number().int(),
      rate: nullableNumber,
    }),
    experiment: z
      .object({ key: z.string(), conversionTypes: z.array(z.string()), variants: z.array(VariantStats) })
      .nullable(),
  })
  .openapi("GrowthInsights");

export const ExperimentParams = z.object({
  key: Key.openapi({ param: { name: "key", in: "path" }, example: "business_contact_button" }),
});

export const Assignment = z
  .object({ experiment: z.string(), visitorId: z.string(), variantKey: z.string() })
  .openapi("ExperimentAssignment");

export const StoredEvent = z
  .object({
    id: z.string(),
    type: z.string(),
    sessionId: z.string().nullable(),
    businessId: z.string().nullable(),
    experimentKey: z.string().nullable(),
    variantKey: z.string().nullable(),
    query: z.string().nullable(),
    category: z.string().nullable(),
    province: z.string().nullable(),
    city: z.string().nullable(),
    results: z.number().nullable(),
    occurredAt: z.string(),
    receivedAt: z.string(),
  })
  .openapi("StoredGrowthEvent");

export const VisitorExport = z
  .object({
    visitorId: z.string(),
    events: z.array(StoredEvent),
    exposures: z.array(
      z.object({ experimentKey: z.string(), variantKey: z.string(), exposedAt: z.string() }),
    ),
  })
  .openapi("VisitorExport");

export const VisitorErasure = z
  .object({
    visitorId: z.string(),
    deleted: z.object({ events: z.number().int(), exposures: z.number().int() }),
  })
  .openapi("VisitorErasure");

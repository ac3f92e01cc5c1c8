/**
 * Request and response schemas (zod, with OpenAPI metadata). The same objects validate requests and generate
 * /openapi.json. Messages name what is allowed; the field path is added by the validation hook.
 */
import { z } from "@hono/zod-openapi";

/**
 * True when PostgreSQL can store `s` as `text`: no NUL (U+0000) and well-formed UTF-16 (no unpaired
 * surrogate, which has no UTF-8 encoding). Anything else would reach the database and fail there (500).
 */
export function isStorableText(s: string): boolean {
  return !s.includes("\u0000") && !LONE_SURROGATE.test(s);
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The message every text field gives for a value PostgreSQL cannot store. */
export const UNSTORABLE_TEXT = "must not contain NUL (U+0000) or unpaired surrogate characters";

/**
 * The base of every text input (query, path, header-derived and JSON body strings): a string PostgreSQL can
 * store. The check runs first and aborts, so a bad value yields exactly one error naming its field. Chain
 * `.trim()`, `.min()`, `.regex()` etc. on it as on `z.string()`.
 */
export const text = () => z.string().refine(isStorableText, { message: UNSTORABLE_TEXT, abort: true });

/**
 * True when `cursor` (base64url of a JSON array) holds only storable strings; malformed cursors pass here and
 * are rejected by the route's decoder with its own message.
 */
function cursorIsStorable(cursor: string): boolean {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return !Array.isArray(v) || v.every((x) => typeof x !== "string" || isStorableText(x));
  } catch {
    return true;
  }
}

/** A decimal number in a query string, range-checked (query values arrive as strings). */
export const queryNumber = (min: number, max: number, example: number) =>
  text()
    .regex(/^-?\d+(\.\d+)?$/, `must be a decimal number between ${min} and ${max}`)
    .transform(Number)
    .pipe(
      z.number().min(min, `must be between ${min} and ${max}`).max(max, `must be between ${min} and ${max}`),
    )
    .openapi({ type: "number", minimum: min, maximum: max, example });

export const queryInt = (min: number, max: number, fallback: number) =>
  text()
    .regex(/^\d+$/, `must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, `must be between ${min} and ${max}`)
        .max(max, `must be between ${min} and ${max}`),
    )
    .optional()
    .transform((v) => v ?? fallback)
    .openapi({ type: "integer", minimum: min, maximum: max, default: fallback });

export const CategorySlug = text()
  .regex(/^[a-z0-9-]{1,64}$/, "must be a lowercase slug (a-z, 0-9, '-'), at most 64 characters")
  .openapi({ example: "restaurante" });

const Place = text().trim().min(1, "must not be empty").max(100, "must be at most 100 characters");

export const IdParams = z.object({
  id: text()
    .regex(
      /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
      "must be a UUID, e.g. 3f2b8c1e-6a4d-4e8b-9c2d-1a2b3c4d5e6f",
    )
    .openapi({
      param: { name: "id", in: "path" },
      format: "uuid",
      example: "3f2b8c1e-6a4d-4e8b-9c2d-1a2b3c4d5e6f",
    }),
});

export const Business = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    name: z.string(),
    description: z.string(),
    category: z.string(),
    province: z.string(),
    city: z.string(),
    address: z.string().nullable(),
    phone: z.string().nullable(),
    lat: z.number(),
    lng: z.number(),
    createdAt: z.string().openapi({ format: "date-time" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Business");

export const NearbyBusiness = Business.extend({
  distanceM: z.number().openapi({ description: "Distance from the query point in metres (sphere)." }),
}).openapi("NearbyBusiness");

export const SearchHit = Business.extend({
  rank: z.number(),
  distanceM: z.number().optional(),
}).openapi("SearchHit");

export const ListQuery = z.object({
  category: CategorySlug.optional(),
  province: Place.optional(),
  city: Place.optional(),
  limit: queryInt(1, 100, 20),
  cursor: text()
    .max(600, "must be at most 600 characters")
    .refine(cursorIsStorable, "must be a nextCursor value returned by this API")
    .optional()
    .openapi({ description: "Opaque cursor from the previous page's `nextCursor`." }),
});

export const BusinessPage = z
  .object({ items: z.array(Business), nextCursor: z.string().nullable() })
  .openapi("BusinessPage");

export const NearbyQuery = z.object({
  lat: queryNumber(-90, 90, 18.4861),
  lng: queryNumber(-180, 180, -69.9312),
  radius: queryInt(1, 50_000, 5000).openapi({ description: "Radius in metres (1..50000, default 5000)." }),
  limit: queryInt(1, 100, 20),
  category: CategorySlug.optional(),
});

export const SearchQuery = z
  .object({
    q: text()
      .trim()
      .min(2, "must be at least 2 characters")
      .max(200, "must be at most 200 characters")
      .openapi({ example: "cafe santo domingo" }),
    lat: queryNumber(-90, 90, 18.4861).optional(),
    lng: queryNumber(-180, 180, -69.9312).optional(),
    limit: queryInt(1, 100, 20),
  })
  .refine((v) => (v.lat === undefined) === (v.lng === undefined), {
    message: "lat and lng must be given together (for the proximity boost) or not at all",
    path: ["lat"],
  });

const Coord = (min: number, max: number) =>
  z.number().min(min, `must be between ${min} and ${max}`).max(max, `must be between ${min} and ${max}`);

export const BusinessCreate = z
  .object({
    name: text().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
    description: text().max(2000, "must be at most 2000 characters").optional(),
    category: CategorySlug,
    province: Place,
    city: Place,
    address: text().max(300, "must be at most 300 characters").nullable().optional(),
    phone: text()
      .regex(
        /^\+?[0-9 ()-]{7,40}$/,
        "must be a phone number: digits, spaces, ( ) - and an optional leading +",
      )
      .nullable()
      .optional(),
    lat: Coord(-90, 90),
    lng: Coord(-180, 180),
  })
  .strict()
  .openapi("BusinessCreate");

export const BusinessPatch = BusinessCreate.partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "must change at least one field" })
  .refine((v) => (v.lat === undefined) === (v.lng === undefined), {
    message: "lat and lng must be changed together",
    path: ["lat"],
  })
  .openapi("BusinessPatch");

export const CategoryCount = z
  .object({ category: z.string(), province: z.string(), businesses: z.number(), refreshedAt: z.string() })
  .openapi("CategoryCount");

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

/**
 * Request and response schemas (zod, with OpenAPI metadata). The same objects validate requests and generate
 * /openapi.json. Messages name what is allowed; the field path is added by the validation hook.
 */
import { z } from "@hono/zod-openapi";

/** A decimal number in a query string, range-checked (query values arrive as strings). */
export const queryNumber = (min: number, max: number, example: number) =>
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, `must be a decimal number between ${min} and ${max}`)
    .transform(Number)
    .pipe(
      z.number().min(min, `must be between ${min} and ${max}`).max(max, `must be between ${min} and ${max}`),
    )
    .openapi({ type: "number", minimum: min, maximum: max, example });

export const queryInt = (min: number, max: number, fallback: number) =>
  z
    .string()
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

export const CategorySlug = z
  .string()
  .regex(/^[a-z0-9-]{1,64}$/, "must be a lowercase slug (a-z, 0-9, '-'), at most 64 characters")
  .openapi({ example: "restaurante" });

const Place = z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters");

export const IdParams = z.object({
  id: z
    .string()
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
  cursor: z
    .string()
    .max(600, "must be at most 600 characters")
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
    q: z
      .string()
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
    name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
    description: z.string().max(2000, "must be at most 2000 characters").optional(),
    category: CategorySlug,
    province: Place,
    city: Place,
    address: z.string().max(300, "must be at most 300 characters").nullable().optional(),
    phone: z
      .string()
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

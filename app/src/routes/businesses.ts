/**
 * Directory routes. Registration order matters: `/api/businesses/nearby` before `/api/businesses/{id}`.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../types";
import { authConfig, requireAdmin } from "../auth";
import type { Config } from "../env";
import { ProblemError } from "../problem";
import type { BusinessRepository } from "../repository";
import {
  Business,
  BusinessCreate,
  BusinessPage,
  BusinessPatch,
  CategoryCount,
  IdParams,
  ListQuery,
  NearbyBusiness,
  NearbyQuery,
  SearchHit,
  SearchQuery,
} from "../schemas";
import { problems } from "./openapi";

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export function encodeCursor(after: { name: string; id: string }): string {
  return Buffer.from(JSON.stringify([after.name, after.id])).toString("base64url");
}

export function decodeCursor(cursor: string): { name: string; id: string } | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === "string" &&
      typeof v[1] === "string" &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v[1])
    ) {
      return { name: v[0], id: v[1] };
    }
  } catch {
    // fall through
  }
  return undefined;
}

export function registerBusinessRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: { config: Config; repo: BusinessRepository },
): void {
  const { repo, config } = deps;
  const admin = requireAdmin(authConfig(config));

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/businesses",
      summary: "List businesses (keyset pagination, ordered by name)",
      request: { query: ListQuery },
      responses: { 200: json(BusinessPage, "A page of businesses"), ...problems(400) },
    }),
    async (c) => {
      const q = c.req.valid("query");
      let after: { name: string; id: string } | undefined;
      if (q.cursor !== undefined) {
        after = decodeCursor(q.cursor);
        if (!after) {
          throw new ProblemError(400, "invalid query: query.cursor is not a cursor returned by this API", {
            errors: [{ field: "query.cursor", message: "must be a nextCursor value returned by this API" }],
          });
        }
      }
      const page = await repo.list({ ...q, after });
      return c.json({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/businesses/nearby",
      summary: "Businesses within a radius of a point, nearest first (PostGIS, metres)",
      request: { query: NearbyQuery },
      responses: {
        200: json(
          z.object({ items: z.array(NearbyBusiness) }).openapi("NearbyPage"),
          "Nearest businesses first",
        ),
        ...problems(400),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const items = await repo.nearby(q.lat, q.lng, q.radius, q.limit, q.category);
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/businesses/{id}",
      summary: "One business",
      request: { params: IdParams },
      responses: { 200: json(Business, "The business"), ...problems(400, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const b = await repo.get(id);
      if (!b) throw new ProblemError(404, `business ${id} does not exist`);
      return c.json(b, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/search/businesses",
      summary: "Full-text search (Spanish, accent-insensitive), optionally boosted by proximity",
      request: { query: SearchQuery },
      responses: {
        200: json(z.object({ items: z.array(SearchHit) }).openapi("SearchPage"), "Best matches first"),
        ...problems(400),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const near = q.lat !== undefined && q.lng !== undefined ? { lat: q.lat, lng: q.lng } : undefined;
      const items = await repo.search(q.q, q.limit, near);
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/categories",
      summary: "Business counts per category and province (refreshed by the scheduled job)",
      responses: { 200: json(z.object({ items: z.array(CategoryCount) }), "Counts") },
    }),
    async (c) => c.json({ items: await repo.counts() }, 200),
  );

  // Admin writes.
  app.use("/api/businesses", async (c, next) => (c.req.method === "POST" ? admin(c, next) : next()));
  app.use("/api/businesses/:id", async (c, next) =>
    c.req.method === "PATCH" || c.req.method === "DELETE" ? admin(c, next) : next(),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/businesses",
      summary: "Create a business (admin)",
      security: [{ bearerAuth: [] }],
      request: { body: { required: true, content: { "application/json": { schema: BusinessCreate } } } },
      responses: { 201: json(Business, "Created"), ...problems(400, 401, 403, 413, 415) },
    }),
    async (c) => {
      const b = await repo.create(c.req.valid("json"));
      c.header("Location", `/api/businesses/${b.id}`);
      return c.json(b, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/businesses/{id}",
      summary: "Change fields of a business (admin)",
      security: [{ bearerAuth: [] }],
      request: {
        params: IdParams,
        body: { required: true, content: { "application/json": { schema: BusinessPatch } } },
      },
      responses: { 200: json(Business, "Updated"), ...problems(400, 401, 403, 404, 413, 415) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const b = await repo.update(id, c.req.valid("json"));
      if (!b) throw new ProblemError(404, `business ${id} does not exist`);
      return c.json(b, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/businesses/{id}",
      summary: "Delete a business (admin)",
      security: [{ bearerAuth: [] }],
      request: { params: IdParams },
      responses: { 204: { description: "Deleted" }, ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      if (!(await repo.delete(id))) throw new ProblemError(404, `business ${id} does not exist`);
      return c.body(null, 204);
    },
  );
}

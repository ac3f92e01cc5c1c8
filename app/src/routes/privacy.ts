/**
 * GDPR requests for a visitor's growth data (admin only):
 * - `GET /api/privacy/visitors/{id}`: export every event and experiment exposure stored for the visitor;
 * - `DELETE /api/privacy/visitors/{id}`: erase them (one transaction).
 *
 * Each request writes one audit log line (`msg: "privacy request"`, `audit: { action, actor, visitorId,
 * rows }`): who (the API key, or the JWT's `sub`), what, and how many rows; never the event contents.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { decode } from "hono/jwt";
import { authConfig, requireAdmin } from "../auth";
import type { Db } from "../db";
import type { Config } from "../env";
import { EventRepository } from "../growth/events-repository";
import { json, problems } from "./openapi";
import { VisitorErasure, VisitorExport, VisitorIdParams } from "../growth/schemas";
import type { AppEnv } from "../types";

/**
 * Who made an admin request, for the audit log: `jwt:<sub>` for a JWT (verified by requireAdmin before this
 * runs), `admin-api-key` for the shared key. Never the credential itself.
 */
export function adminActor(c: Context): string {
  const token = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (token && token.split(".").length === 3) {
    try {
      const sub = decode(token).payload.sub;
      return typeof sub === "string" && sub.length > 0 ? `jwt:${sub.slice(0, 128)}` : "jwt:(no sub)";
    } catch {
      // Not a JWT after all: the API key.
    }
  }
  return "admin-api-key";
}

export function registerPrivacyRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: { config: Config; db: Db; now?: () => number },
): void {
  const repo = new EventRepository(deps.db);
  app.use("/api/privacy/*", requireAdmin(authConfig(deps.config, deps.now)));

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/privacy/visitors/{id}",
      summary: "Export a visitor's growth events and exposures (GDPR access; admin, audited)",
      security: [{ bearerAuth: [] }],
      request: { params: VisitorIdParams },
      responses: {
        200: json(VisitorExport, "Everything stored about the visitor"),
        ...problems(400, 401, 403),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const data = await repo.exportVisitor(id);
      c.get("log").info(
        {
          audit: {
            action: "privacy.export",
            actor: adminActor(c),
            visitorId: id,
            rows: { events: data.events.length, exposures: data.exposures.length },
          },
        },
        "privacy request",
      );
      c.header("Cache-Control", "no-store");
      return c.json({ visitorId: id, ...data }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/privacy/visitors/{id}",
      summary: "Erase a visitor's growth events and exposures (GDPR erasure; admin, audited)",
      security: [{ bearerAuth: [] }],
      request: { params: VisitorIdParams },
      responses: { 200: json(VisitorErasure, "Rows deleted"), ...problems(400, 401, 403) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const deleted = await repo.eraseVisitor(id);
      c.get("log").info(
        { audit: { action: "privacy.erase", actor: adminActor(c), visitorId: id, rows: deleted } },
        "privacy request",
      );
      c.header("Cache-Control", "no-store");
      return c.json({ visitorId: id, deleted }, 200);
    },
  );
}

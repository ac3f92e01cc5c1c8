/**
 * Business images (docs/app.md, "Images"):
 * - POST /api/businesses/{id}/images (admin): the request body is the image itself (JPEG, PNG, WebP or AVIF,
 *   at most IMAGE_MAX_BYTES), `Content-Type` its media type, optionally `Content-Disposition: attachment;
 *   filename="…"` (its extension must match the content too). The one non-JSON write: app.ts exempts it
 *   from the JSON-only rule and the JSON body limit (`isImageUpload`); this module applies its own.
 * - GET /api/businesses/{id}/images: every image with its variants (URLs under STORAGE_PUBLIC_BASE_URL),
 *   `sources` ready for `<picture>` and `preferred`: the best variant the request's `Accept` admits.
 * - GET /api/businesses/{id}/images/{imageId}?width=N: 302 to the variant chosen by `Accept` and width.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import contentDisposition from "content-disposition";
import type { Context } from "hono";
import { accepts } from "hono/accepts";
import { bodyLimit } from "hono/body-limit";
import { authConfig, requireAdmin } from "../auth";
import type { Db } from "../db";
import type { Config } from "../env";
import { ImageRejected } from "../images/detect";
import { ImageRepository, type ImageRecord, type StoredVariant } from "../images/repository";
import { uploadImage } from "../images/service";
import type { Logger } from "../logger";
import { ProblemError, problemResponse } from "../problem";
import { IdParams } from "../schemas";
import type { ObjectStorage } from "../storage/types";
import type { AppEnv } from "../types";
import { problems } from "./openapi";

/** The media types an upload may declare. */
export const UPLOAD_TYPES = ["image/jpeg", "image/png", "image/webp", "image/avif"] as const;
/** Variant types, best first: the order of `<picture>` sources and of `Accept` negotiation. */
const PREFERENCE = ["image/avif", "image/webp", "image/jpeg", "image/png"];

const UPLOAD_PATH = /^\/api\/businesses\/[^/]+\/images\/?$/;

/** True for the image upload request: app.ts skips its JSON-only check and JSON body limit for it. */
export function isImageUpload(c: Context): boolean {
  return c.req.method === "POST" && UPLOAD_PATH.test(c.req.path);
}

/**
 * The optional client file name from `Content-Disposition: attachment; filename="photo.jpg"` (RFC 6266,
 * parsed by the npm `content-disposition` package); undefined when the header is absent.
 * @throws ProblemError 400 naming the header when it does not parse
 */
function parseFileName(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  try {
    const name = contentDisposition.parse(header).parameters.filename;
    return name === undefined ? undefined : String(name);
  } catch {
    throw new ProblemError(
      400,
      'invalid header: Content-Disposition must look like attachment; filename="photo.jpg"',
      {
        errors: [
          { field: "header.content-disposition", message: 'must look like attachment; filename="photo.jpg"' },
        ],
      },
    );
  }
}

const VariantSchema = z
  .object({
    url: z.string().openapi({ example: "https://cdn.example.com/uploads/businesses/…/640.avif" }),
    contentType: z.string().openapi({ example: "image/avif" }),
    width: z.number().int(),
    height: z.number().int(),
    bytes: z.number().int(),
    role: z.enum(["variant", "original"]),
  })
  .openapi("ImageVariant");

const ImageSchema = z
  .object({
    id: z.string().uuid(),
    businessId: z.string().uuid(),
    width: z.number().int(),
    height: z.number().int(),
    processed: z
      .boolean()
      .openapi({ description: "false: stored without variants (image processor unavailable)" }),
    createdAt: z.string(),
    preferred: VariantSchema.openapi({
      description: "The largest variant in the best format the request's Accept header lists explicitly",
    }),
    sources: z
      .array(z.object({ type: z.string(), srcset: z.string() }))
      .openapi({ description: "`<source type srcset>` entries, best format first" }),
    fallback: VariantSchema.openapi({ description: "The `<img src>`: the largest JPEG (or the original)" }),
    variants: z.array(VariantSchema),
  })
  .openapi("BusinessImage");

const ImageParams = IdParams.extend({
  imageId: IdParams.shape.id.openapi({ param: { name: "imageId", in: "path" } }),
});

export function registerImageRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: { config: Config; db: Db; logger: Logger; storage?: ObjectStorage },
): void {
  const { config, storage } = deps;
  const repo = new ImageRepository(deps.db);
  const admin = requireAdmin(authConfig(config));
  const limits = { maxPixels: config.IMAGE_MAX_PIXELS, maxDimension: config.IMAGE_MAX_DIMENSION_PX };
  const base = `${config.STORAGE_PUBLIC_BASE_URL ?? ""}/${config.STORAGE_PREFIX}/`;
  const urlOf = (v: StoredVariant) => ({ ...v, url: base + v.key });

  /** The best type among `types` that `Accept` names explicitly; wildcards only earn JPEG (or PNG). */
  const negotiate = (c: Context, types: string[]): string => {
    const fallback = types.includes("image/jpeg") ? "image/jpeg" : types[0];
    return accepts(c, {
      header: "Accept",
      supports: PREFERENCE.filter((t) => types.includes(t)),
      default: fallback,
      match: (list) => {
        const named = list.filter((a) => a.q > 0 && !a.type.includes("*")).map((a) => a.type.toLowerCase());
        return PREFERENCE.find((t) => types.includes(t) && named.includes(t)) ?? fallback;
      },
    });
  };

  const choose = (image: ImageRecord, type: string, width?: number): StoredVariant => {
    const ofType = image.variants.filter((v) => v.contentType === type).sort((a, b) => a.width - b.width);
    if (width === undefined) return ofType[ofType.length - 1];
    return ofType.find((v) => v.width >= width) ?? ofType[ofType.length - 1];
  };

  const present = (c: Context, image: ImageRecord) => {
    const types = [...new Set(image.variants.map((v) => v.contentType))];
    const sources = PREFERENCE.filter((t) => types.includes(t)).map((type) => ({
      type,
      srcset: image.variants
        .filter((v) => v.contentType === type)
        .map((v) => `${base}${v.key} ${v.width}w`)
        .join(", "),
    }));
    const fallbackType = types.includes("image/jpeg") ? "image/jpeg" : types[0];
    return {
      id: image.id,
      businessId: image.businessId,
      width: image.width,
      height: image.height,
      processed: image.processed,
      createdAt: image.createdAt,
      preferred: urlOf(choose(image, negotiate(c, types))),
      sources,
      fallback: urlOf(choose(image, fallbackType)),
      variants: image.variants.map(urlOf),
    };
  };

  const requireStorage = (): ObjectStorage => {
    if (!storage) {
      throw new ProblemError(503, "image storage is not configured on this server (STORAGE_BACKEND=none)");
    }
    return storage;
  };

  // Upload guards, in order: admin, media type, size (this route's own limit, not BODY_LIMIT_BYTES).
  app.use("/api/businesses/:id/images", async (c, next) =>
    c.req.method === "POST" ? admin(c, next) : next(),
  );
  app.use("/api/businesses/:id/images", async (c, next) => {
    if (c.req.method !== "POST") return next();
    const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (!(UPLOAD_TYPES as readonly string[]).includes(type)) {
      return problemResponse(
        c,
        415,
        `Content-Type must be one of ${UPLOAD_TYPES.join(", ")} (got ${type ? `"${type}"` : "none"}); the body is the image itself`,
      );
    }
    return next();
  });
  const uploadLimit = bodyLimit({
    maxSize: config.IMAGE_MAX_BYTES,
    onError: (c) =>
      problemResponse(c, 413, `the image exceeds ${config.IMAGE_MAX_BYTES} bytes (IMAGE_MAX_BYTES)`),
  });
  app.use("/api/businesses/:id/images", async (c, next) =>
    c.req.method === "POST" ? uploadLimit(c, next) : next(),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/businesses/{id}/images",
      summary: "Upload an image of a business (admin); the body is the image (JPEG, PNG, WebP, AVIF)",
      security: [{ bearerAuth: [] }],
      request: {
        params: IdParams,
        body: {
          required: true,
          description: "The image bytes; Content-Type must match them",
          content: Object.fromEntries(
            UPLOAD_TYPES.map((t) => [t, { schema: z.string().openapi({ format: "binary" }) }]),
          ),
        },
      },
      responses: {
        201: { description: "Stored", content: { "application/json": { schema: ImageSchema } } },
        ...problems(400, 401, 403, 404, 413, 415, 422, 503),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const target = requireStorage();
      const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
      const fileName = parseFileName(c.req.header("content-disposition"));
      const body = Buffer.from(await c.req.arrayBuffer());
      if (body.length === 0) throw new ProblemError(400, "the request body is empty: send the image bytes");
      if (!(await repo.businessExists(id))) throw new ProblemError(404, `business ${id} does not exist`);
      try {
        const image = await uploadImage(
          { storage: target, repo, logger: c.get("log") ?? deps.logger, limits, widths: config.IMAGE_WIDTHS },
          id,
          body,
          type,
          fileName,
        );
        c.header("Location", `/api/businesses/${id}/images/${image.id}`);
        c.header("Cache-Control", "no-store");
        return c.json(present(c, image), 201);
      } catch (err) {
        if (err instanceof ImageRejected) {
          if (err.status === 503) c.header("Retry-After", "60");
          throw new ProblemError(err.status, err.reason);
        }
        throw err;
      }
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/businesses/{id}/images",
      summary: "Images of a business with their variants (for <picture>); `preferred` follows Accept",
      request: { params: IdParams },
      responses: {
        200: {
          description: "Oldest first",
          content: { "application/json": { schema: z.object({ items: z.array(ImageSchema) }) } },
        },
        ...problems(400, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const images = await repo.list(id);
      if (images.length === 0 && !(await repo.businessExists(id)))
        throw new ProblemError(404, `business ${id} does not exist`);
      c.header("Cache-Control", `public, max-age=${config.CACHE_MAX_AGE_S}`);
      c.header("Vary", "Origin, Accept, Accept-Encoding");
      return c.json({ items: images.map((i) => present(c, i)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/businesses/{id}/images/{imageId}",
      summary:
        "Redirect to the variant the request's Accept prefers, at least `width` pixels wide if there is one",
      request: {
        params: ImageParams,
        query: z.object({
          width: z.coerce
            .number()
            .int("must be a whole number of pixels")
            .min(1, "must be >= 1")
            .max(16383, "must be <= 16383")
            .optional(),
        }),
      },
      responses: { 302: { description: "Location: the variant's URL" }, ...problems(400, 404) },
    }),
    async (c) => {
      const { id, imageId } = c.req.valid("param");
      const { width } = c.req.valid("query");
      const image = (await repo.list(id)).find((i) => i.id === imageId);
      if (!image) throw new ProblemError(404, `image ${imageId} of business ${id} does not exist`);
      const types = [...new Set(image.variants.map((v) => v.contentType))];
      const variant = choose(image, negotiate(c, types), width);
      c.header("Cache-Control", `public, max-age=${config.CACHE_MAX_AGE_S}`);
      c.header("Vary", "Origin, Accept");
      return c.redirect(base + variant.key, 302);
    },
  );
}

/**
 * The upload pipeline: identify -> validate -> process (or fall back) -> store -> record. Nothing is left
 * behind when a step fails: objects already written are deleted if a later write or the database insert
 * fails, and a rejected file is never written at all.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "../logger";
import { ProblemError } from "../problem";
import type { ObjectStorage } from "../storage/types";
import { detectImage, EXTENSION, ImageRejected, MIME, type ImageFormat } from "./detect";
import { fallbackOriginal } from "./fallback";
import { loadSharp, processImage, type Limits } from "./processor";
import type { ImageRecord, ImageRepository, StoredVariant } from "./repository";

/** File name extensions and the format they claim. */
const FORMAT_OF_EXTENSION: Record<string, ImageFormat> = {
  jpg: "jpeg",
  jpeg: "jpeg",
  jfif: "jpeg",
  png: "png",
  webp: "webp",
  avif: "avif",
};

/** Objects are immutable (a new upload gets a new id), so the CDN and browsers may keep them for a year. */
export const OBJECT_CACHE_CONTROL = "public, max-age=31536000, immutable";

export interface UploadDeps {
  storage: ObjectStorage;
  repo: ImageRepository;
  logger: Logger;
  limits: Limits;
  /** Variant widths in pixels, ascending (IMAGE_WIDTHS). */
  widths: number[];
}

/**
 * Stores one uploaded image of a business.
 * @param declaredType the request's media type (already known to be one of the four image types); it
 *                     must agree with the content, so a PNG sent as `image/jpeg` is refused (415)
 * @param fileName     the client's file name (`Content-Disposition: attachment; filename=…`), optional; an
 *                     extension, when present, must agree with the content too (a PNG named `.jpg`: 415)
 * @throws ImageRejected for a file that is not accepted (4xx, nothing stored)
 */
export async function uploadImage(
  deps: UploadDeps,
  businessId: string,
  body: Buffer,
  declaredType: string,
  fileName?: string,
): Promise<ImageRecord> {
  const { format, mime } = detectImage(body);
  if (mime !== declaredType)
    throw new ImageRejected(
      415,
      `Content-Type says ${declaredType} but the content is ${mime}: send the type that matches the bytes`,
    );
  if (fileName !== undefined) {
    const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1].toLowerCase();
    const named = ext === undefined ? undefined : FORMAT_OF_EXTENSION[ext];
    if (ext !== undefined && named !== format)
      throw new ImageRejected(
        415,
        `the file name ${JSON.stringify(fileName)} says ${named ? MIME[named] : `".${ext}"`} but the content is ${mime}`,
      );
  }
  const id = randomUUID();
  const base = `businesses/${businessId}/${id}`;
  const { sharp } = loadSharp();
  let objects: (StoredVariant & { body: Buffer })[];
  let width: number;
  let height: number;
  if (sharp) {
    const processed = await processImage(sharp, body, format, deps.widths, deps.limits);
    ({ width, height } = processed);
    objects = processed.variants.map((v) => ({
      key: `${base}/${v.width}.${EXTENSION[v.format]}`,
      contentType: MIME[v.format],
      width: v.width,
      height: v.height,
      bytes: v.bytes.length,
      role: "variant",
      body: v.bytes,
    }));
  } else {
    const original = fallbackOriginal(body, format, deps.limits);
    ({ width, height } = original);
    objects = [
      {
        key: `${base}/original.${EXTENSION[format]}`,
        contentType: mime,
        width,
        height,
        bytes: original.bytes.length,
        role: "original",
        body: original.bytes,
      },
    ];
  }

  const written: string[] = [];
  try {
    // allSettled: on a failure, wait for every other write to finish before rolling back.
    const results = await Promise.allSettled(
      objects.map(async (o) => {
        await deps.storage.put(o.key, o.body, {
          contentType: o.contentType,
          cacheControl: OBJECT_CACHE_CONTROL,
        });
        written.push(o.key);
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) {
      deps.logger.error(
        { err: { message: (failed.reason as Error).message }, location: deps.storage.location },
        "image write failed",
      );
      throw new ProblemError(503, "object storage is unavailable; retry later", {});
    }
    return await deps.repo.insert(
      {
        id,
        businessId,
        width,
        height,
        sourceType: mime,
        sourceSize: body.length,
        processed: sharp !== undefined,
      },
      objects.map(({ body: _body, ...v }) => v),
    );
  } catch (err) {
    // Roll back what was written; a failed cleanup is logged (the keys are unique, never served: no row).
    await deps.storage
      .delete(written)
      .catch((e: Error) =>
        deps.logger.error({ err: { message: e.message }, keys: written }, "image rollback failed"),
      );
    throw err;
  }
}

/**
 * Image processing with sharp (libvips): validation by decoding, auto-rotation, metadata stripping and the
 * responsive variants. sharp is loaded once, lazily; when it cannot load (a missing or broken native
 * binary), `loadSharp()` reports why and uploads fall back to the original (validated by `fallback.ts`).
 */
import type SharpType from "sharp";
import { ImageRejected, type ImageFormat } from "./detect";

type Sharp = typeof SharpType;

export interface ProcessorStatus {
  /** `sharp` when variants are produced, `fallback` when only validated originals are stored. */
  mode: "sharp" | "fallback";
  /** Why sharp is unavailable (fallback mode only). */
  error?: string;
  /** libvips version (sharp mode only). */
  vips?: string;
}

let loaded: { sharp?: Sharp; status: ProcessorStatus } | undefined;

/** Forgets the loaded processor so the next `loadSharp()` loads again (tests switch IMAGE_PROCESSOR). */
export function reloadProcessor(): void {
  loaded = undefined;
}

/** Loads sharp once. `IMAGE_PROCESSOR=fallback` in the environment forces fallback mode (tests, drills). */
export function loadSharp(): { sharp?: Sharp; status: ProcessorStatus } {
  if (loaded) return loaded;
  if (process.env.IMAGE_PROCESSOR === "fallback") {
    loaded = { status: { mode: "fallback", error: "disabled by IMAGE_PROCESSOR=fallback" } };
    return loaded;
  }
  try {
    const sharp = require("sharp") as Sharp;
    sharp.cache(false); // uploads are one-off: no point caching decoded images
    sharp.concurrency(1); // one libvips thread per image: a burst of uploads must not starve the API
    loaded = { sharp, status: { mode: "sharp", vips: sharp.versions.vips } };
  } catch (err) {
    loaded = {
      status: { mode: "fallback", error: `sharp could not load: ${(err as Error).message.split("\n")[0]}` },
    };
  }
  return loaded;
}

export interface Limits {
  /** Largest width x height sharp will decode (libvips `limitInputPixels`). */
  maxPixels: number;
  /** Largest width or height, in pixels (after auto-rotation). */
  maxDimension: number;
}

export interface Variant {
  format: "avif" | "webp" | "jpeg";
  width: number;
  height: number;
  bytes: Buffer;
}

export interface Processed {
  width: number;
  height: number;
  variants: Variant[];
}

/** Output formats, best first (the order of `<picture>` sources). */
export const VARIANT_FORMATS = ["avif", "webp", "jpeg"] as const;

/** Checks a width x height against the limits; throws ImageRejected 422 naming the limit. */
export function checkDimensions(width: number, height: number, limits: Limits): void {
  if (!(width > 0 && height > 0)) throw new ImageRejected(422, "the image has no valid dimensions");
  if (width > limits.maxDimension || height > limits.maxDimension)
    throw new ImageRejected(
      422,
      `the image is ${width}x${height} pixels; each side may be at most ${limits.maxDimension} (IMAGE_MAX_DIMENSION_PX)`,
    );
  if (width * height > limits.maxPixels)
    throw new ImageRejected(
      422,
      `the image is ${width}x${height} = ${width * height} pixels; at most ${limits.maxPixels} (IMAGE_MAX_PIXELS)`,
    );
}

/**
 * Decodes `input` (already identified as `format` by detectImage), checks its header dimensions before
 * decoding any pixel, then writes every format at every width in `widths` that is not larger than the
 * image (at least one width: the image's own when it is smaller than all of them). Output carries no
 * metadata (EXIF, GPS, XMP, ICC other than sRGB conversion): sharp drops it unless asked to keep it.
 * @throws ImageRejected 422 (too large) or 400 (cannot be decoded: truncated, corrupt).
 */
export async function processImage(
  sharp: Sharp,
  input: Buffer,
  format: ImageFormat,
  widths: number[],
  limits: Limits,
): Promise<Processed> {
  // The header is read without the pixel limit (metadata() decodes no pixels) so the answer can name the
  // dimensions and the limit; the decode itself runs with limitInputPixels as a second line of defence.
  const open = (limitInputPixels: number | false) =>
    sharp(input, { limitInputPixels, failOn: "warning", sequentialRead: true, autoOrient: true });
  let meta: SharpType.Metadata;
  try {
    meta = await open(false).metadata();
  } catch (err) {
    throw new ImageRejected(400, `the image cannot be read: ${(err as Error).message.split("\n")[0]}`);
  }
  const expected = format === "avif" ? "heif" : format;
  if (meta.format !== expected)
    throw new ImageRejected(415, `the content decodes as ${meta.format ?? "unknown"}, not ${format}`);
  // autoOrient: width/height as displayed.
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  checkDimensions(width, height, limits);
  if ((meta.pages ?? 1) > 1) throw new ImageRejected(422, "animated or multi-page images are not accepted");

  const targets = widths.filter((w) => w <= width);
  if (targets.length === 0) targets.push(width);
  // Decode once, fully (a truncated or corrupt file fails here), straight to the largest variant's width
  // (JPEG/WebP shrink-on-load keeps memory near the output size, not the input's), into sRGB raw pixels.
  let base: { data: Buffer; info: SharpType.OutputInfo };
  try {
    base = await open(limits.maxPixels)
      .resize({ width: Math.max(...targets), withoutEnlargement: true })
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new ImageRejected(400, `the image cannot be decoded: ${(err as Error).message.split("\n")[0]}`);
  }
  const raw = { width: base.info.width, height: base.info.height, channels: base.info.channels };
  const variants: Variant[] = [];
  for (const w of targets) {
    const resized = sharp(base.data, { raw }).resize({ width: w, withoutEnlargement: true });
    for (const f of VARIANT_FORMATS) {
      const pipeline = resized.clone();
      const out =
        f === "avif"
          ? pipeline.avif({ quality: 55, effort: 2 })
          : f === "webp"
            ? pipeline.webp({ quality: 78, effort: 3 })
            : pipeline.flatten({ background: "#ffffff" }).jpeg({ quality: 80, mozjpeg: true });
      const { data, info } = await out.toBuffer({ resolveWithObject: true });
      variants.push({ format: f, width: info.width, height: info.height, bytes: data });
    }
  }
  return { width, height, variants };
}

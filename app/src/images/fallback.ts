/**
 * Degraded mode, when sharp cannot load: the original is stored (no variants) after validation without a
 * decoder: the container walk of detect.ts (magic bytes, structure, nothing appended), the dimensions from
 * the header (npm `image-size`) against the same limits, and metadata removed structurally:
 * - JPEG: every APPn segment except APP0 (JFIF) and APP14 (Adobe colour transform), and COM segments: this
 *   drops EXIF (GPS included), XMP, IPTC and comments;
 * - PNG: the `eXIf`, `tEXt`, `zTXt`, `iTXt` and `tIME` chunks.
 * WebP and AVIF keep metadata in ways that need a real parser to remove safely: without sharp they are
 * refused (503, retry later) rather than stored with a GPS position.
 */
import { imageSize } from "image-size";
import { ImageRejected, type ImageFormat } from "./detect";
import { checkDimensions, type Limits } from "./processor";

function stripJpeg(buf: Buffer): Buffer {
  const parts: Buffer[] = [buf.subarray(0, 2)];
  let o = 2;
  while (o + 4 <= buf.length) {
    const marker = buf[o + 1];
    if (marker === 0xda || marker === 0xd9) break; // start of scan: the rest is image data
    const len = buf.readUInt16BE(o + 2);
    const isApp = marker >= 0xe0 && marker <= 0xef;
    const keep = !(isApp && marker !== 0xe0 && marker !== 0xee) && marker !== 0xfe;
    if (keep) parts.push(buf.subarray(o, o + 2 + len));
    o += 2 + len;
  }
  parts.push(buf.subarray(o));
  return Buffer.concat(parts);
}

const PNG_DROP = new Set(["eXIf", "tEXt", "zTXt", "iTXt", "tIME"]);

function stripPng(buf: Buffer): Buffer {
  const parts: Buffer[] = [buf.subarray(0, 8)];
  let o = 8;
  while (o + 12 <= buf.length) {
    const len = buf.readUInt32BE(o);
    const type = buf.toString("latin1", o + 4, o + 8);
    if (!PNG_DROP.has(type)) parts.push(buf.subarray(o, o + 12 + len));
    o += 12 + len;
  }
  return Buffer.concat(parts);
}

/**
 * Validates and cleans an original for storage without sharp. `buf` has passed detectImage.
 * @returns the bytes to store and the header dimensions
 * @throws ImageRejected 422 (dimensions), 400 (header unreadable), 503 (WebP/AVIF need sharp)
 */
export function fallbackOriginal(
  buf: Buffer,
  format: ImageFormat,
  limits: Limits,
): { bytes: Buffer; width: number; height: number } {
  if (format === "webp" || format === "avif")
    throw new ImageRejected(
      503,
      `${format.toUpperCase()} uploads need the image processor, which is unavailable on this instance; retry later or send JPEG/PNG`,
    );
  let size: { width?: number; height?: number };
  try {
    size = imageSize(buf);
  } catch (err) {
    throw new ImageRejected(400, `the image header cannot be read: ${(err as Error).message}`);
  }
  // Stored as encoded: stripping EXIF also drops the orientation tag, so clients show it unrotated.
  const width = size.width ?? 0;
  const height = size.height ?? 0;
  checkDimensions(width, height, limits);
  return { bytes: format === "jpeg" ? stripJpeg(buf) : stripPng(buf), width, height };
}

/**
 * What an uploaded file really is, from its bytes (never from the declared Content-Type or a file name),
 * and whether it is *only* that: the container structure is walked to its end, so a truncated file, or one
 * with anything appended after the image (a ZIP or HTML payload: a polyglot), is rejected before any
 * decoder sees it.
 *
 * Accepted: JPEG (SOI .. EOI), PNG (signature, chunks .. IEND), WebP (RIFF size = file size), AVIF (ISO
 * BMFF `ftyp` with an `avif`/`avis` brand, top-level boxes tiling the file exactly).
 */

export type ImageFormat = "jpeg" | "png" | "webp" | "avif";

export const MIME: Record<ImageFormat, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  avif: "image/avif",
};

export const EXTENSION: Record<ImageFormat, string> = { jpeg: "jpg", png: "png", webp: "webp", avif: "avif" };

/** A file that is not an acceptable image; `reason` is safe to show to the client. */
export class ImageRejected extends Error {
  constructor(
    readonly status: 400 | 413 | 415 | 422 | 503,
    readonly reason: string,
  ) {
    super(reason);
    this.name = "ImageRejected";
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The format the magic bytes announce, or undefined. */
export function sniff(buf: Buffer): ImageFormat | undefined {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return "jpeg";
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) return "png";
  if (buf.length >= 12 && buf.toString("latin1", 0, 4) === "RIFF" && buf.toString("latin1", 8, 12) === "WEBP")
    return "webp";
  if (buf.length >= 12 && buf.toString("latin1", 4, 8) === "ftyp") {
    const size = buf.readUInt32BE(0);
    if (size >= 16 && size <= buf.length && size % 4 === 0) {
      const brands = [buf.toString("latin1", 8, 12)];
      for (let o = 16; o + 4 <= size; o += 4) brands.push(buf.toString("latin1", o, o + 4));
      if (brands.includes("avif") || brands.includes("avis")) return "avif";
    }
  }
  return undefined;
}

function jpegEnd(buf: Buffer): void {
  // Segments until SOS, then entropy-coded data until EOI, which must be the last two bytes.
  let o = 2;
  while (o + 4 <= buf.length) {
    if (buf[o] !== 0xff) throw new ImageRejected(400, "the JPEG structure is corrupt (bad segment marker)");
    const marker = buf[o + 1];
    if (marker === 0xff) {
      o += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) break;
    const len = buf.readUInt16BE(o + 2);
    if (len < 2 || o + 2 + len > buf.length) throw new ImageRejected(400, "the JPEG file is truncated");
    o += 2 + len;
    if (marker === 0xda) {
      // Entropy-coded data: 0xFF is followed by 0x00 (stuffing) or RSTn inside it; any other marker ends it.
      while (
        o + 1 < buf.length &&
        !(buf[o] === 0xff && buf[o + 1] !== 0 && (buf[o + 1] < 0xd0 || buf[o + 1] > 0xd7))
      )
        o++;
    }
  }
  if (o + 2 > buf.length || buf[o] !== 0xff || buf[o + 1] !== 0xd9)
    throw new ImageRejected(400, "the JPEG file is truncated (no end-of-image marker)");
  if (o + 2 !== buf.length)
    throw new ImageRejected(
      400,
      `the JPEG file has ${buf.length - o - 2} bytes after its end-of-image marker`,
    );
}

function pngEnd(buf: Buffer): void {
  let o = 8;
  let first = true;
  while (o + 12 <= buf.length) {
    const len = buf.readUInt32BE(o);
    const type = buf.toString("latin1", o + 4, o + 8);
    if (first && type !== "IHDR") throw new ImageRejected(400, "the PNG file does not start with IHDR");
    first = false;
    if (len > 0x7fffffff || o + 12 + len > buf.length)
      throw new ImageRejected(400, "the PNG file is truncated");
    o += 12 + len;
    if (type === "IEND") {
      if (o !== buf.length)
        throw new ImageRejected(400, `the PNG file has ${buf.length - o} bytes after its IEND chunk`);
      return;
    }
  }
  throw new ImageRejected(400, "the PNG file is truncated (no IEND chunk)");
}

function webpEnd(buf: Buffer): void {
  const size = buf.readUInt32LE(4) + 8;
  if (size > buf.length) throw new ImageRejected(400, "the WebP file is truncated");
  if (size !== buf.length)
    throw new ImageRejected(400, `the WebP file has ${buf.length - size} bytes after its RIFF container`);
}

function bmffEnd(buf: Buffer): void {
  let o = 0;
  while (o < buf.length) {
    if (o + 8 > buf.length) throw new ImageRejected(400, "the AVIF file is truncated");
    let size = buf.readUInt32BE(o);
    if (size === 1) {
      if (o + 16 > buf.length) throw new ImageRejected(400, "the AVIF file is truncated");
      const big = buf.readBigUInt64BE(o + 8);
      if (big > BigInt(buf.length)) throw new ImageRejected(400, "the AVIF file is truncated");
      size = Number(big);
    } else if (size === 0) {
      size = buf.length - o; // the last box extends to the end of the file
    }
    if (size < 8) throw new ImageRejected(400, "the AVIF structure is corrupt (box smaller than its header)");
    if (o + size > buf.length) throw new ImageRejected(400, "the AVIF file is truncated");
    o += size;
  }
}

/**
 * Identifies `buf` by its magic bytes and checks that its container ends exactly where the file ends.
 * @throws ImageRejected 415 (not one of the four formats) or 400 (truncated, trailing data, corrupt).
 */
export function detectImage(buf: Buffer): { format: ImageFormat; mime: string } {
  const format = sniff(buf);
  if (!format)
    throw new ImageRejected(
      415,
      "the file is not a JPEG, PNG, WebP or AVIF image (checked by its content, not its declared type)",
    );
  if (format === "jpeg") jpegEnd(buf);
  else if (format === "png") pngEnd(buf);
  else if (format === "webp") webpEnd(buf);
  else bmffEnd(buf);
  return { format, mime: MIME[format] };
}

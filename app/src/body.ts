/**
 * Request and response bodies at the HTTP layer:
 * - `mediaType(header)`: the one rule for every Content-Type check, parsed with the `content-type` package
 *   (RFC 9110 §8.3.1: case-insensitive, optional whitespace around `;`, parameters ignored, so
 *   `application/json ; charset=utf-8` and `application/json; foo` are JSON);
 * - `jsonOnly()`: writes (POST/PUT/PATCH) must be `application/json`, else 415;
 * - `decodeContentEncoding(maxBytes)`: a request body with `Content-Encoding` gzip (x-gzip), deflate or br
 *   (or a list of them, applied in order) is decoded before validation. `maxBytes` bounds both the encoded
 *   body as received and the decoded body (zlib `maxOutputLength`, so a decompression bomb stops at the
 *   limit): 413 beyond. Other encodings: 415 with `Accept-Encoding` listing the supported ones. Corrupt data: 400;
 * - `headContentLength()`: HEAD responses carry the `Content-Length` the GET response would have
 *   (@hono/node-server sends none for a HEAD, an open upstream issue), computed from the GET body. Hono's
 *   `compress` never encodes a HEAD response, so a HEAD describes the identity representation: its
 *   Content-Length is that of an uncompressed GET, and it carries no Content-Encoding (RFC 9110 §9.3.2
 *   allows omitting what is only determined while generating the content).
 */
import { parse } from "content-type";
import type { Context, MiddlewareHandler } from "hono";
import { promisify } from "node:util";
import * as zlib from "node:zlib";
import { problemResponse } from "./problem";

/** The media type essence (`type/subtype`, lower case) of a Content-Type header; "" when absent or empty. */
export function mediaType(header: string | undefined): string {
  if (!header) return "";
  return parse(header).type.trim().toLowerCase();
}

const isWrite = (method: string) => method === "POST" || method === "PUT" || method === "PATCH";

/**
 * Middleware: 415 problem+json for a write whose media type is not application/json, or whose charset is not
 * UTF-8 (RFC 8259 JSON is UTF-8). An accepted header is rewritten to the canonical `application/json`, so the
 * route validators downstream (which match the header with their own stricter pattern) apply the same rule.
 */
export function jsonOnly(): MiddlewareHandler {
  return async (c, next) => {
    if (isWrite(c.req.method)) {
      const header = c.req.header("content-type");
      const type = mediaType(header);
      if (type !== "application/json") {
        return problemResponse(
          c,
          415,
          `Content-Type must be application/json (got ${type ? `"${type}"` : "none"})`,
        );
      }
      const charset = parse(header ?? "").parameters.charset?.toLowerCase();
      if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
        return problemResponse(c, 415, `JSON must be UTF-8 (got charset "${charset}")`);
      }
      if (header !== "application/json") setHeader(c, "content-type", "application/json");
    }
    await next();
    return undefined;
  };
}

/** Replace a request header (in place when the Request allows it, else on a copy of the Request). */
function setHeader(c: Context, name: string, value: string): void {
  try {
    c.req.raw.headers.set(name, value);
    if (c.req.raw.headers.get(name) === value) return;
  } catch {
    // immutable headers: copy below
  }
  const headers = new Headers(c.req.raw.headers);
  headers.set(name, value);
  c.req.raw = new Request(c.req.raw.url, {
    method: c.req.raw.method,
    headers,
    body: c.req.raw.body,
    signal: c.req.raw.signal,
    duplex: "half",
  } as RequestInit);
}

type Decoder = (buf: Buffer, opts: zlib.ZlibOptions | zlib.BrotliOptions) => Promise<Buffer>;
const gunzip = promisify(zlib.gunzip) as Decoder;
const inflate = promisify(zlib.inflate) as Decoder;
const inflateRaw = promisify(zlib.inflateRaw) as Decoder;
const brotli = promisify(zlib.brotliDecompress) as Decoder;

/** Supported `Content-Encoding` codings and their decoders (`deflate` is zlib-wrapped, raw accepted too). */
const DECODERS: Record<string, Decoder> = {
  gzip: gunzip,
  "x-gzip": gunzip,
  deflate: (buf, opts) => inflate(buf, opts).catch(() => inflateRaw(buf, opts)),
  br: brotli,
};
export const SUPPORTED_ENCODINGS = ["gzip", "deflate", "br"];

/** The body as received, or undefined once it exceeds `max` bytes (reading stops there). */
async function readBounded(req: Request, max: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > max) return undefined;
  if (!req.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const tooLarge = (c: Context, max: number, decoded: boolean) =>
  problemResponse(c, 413, `request body exceeds ${max} bytes${decoded ? " once decoded" : ""}`);

/** Middleware: decode a Content-Encoding'd request body under `maxBytes` (see the module comment). */
export function decodeContentEncoding(maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header("content-encoding");
    const codings = (header ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s !== "" && s !== "identity");
    if (codings.length === 0 || !c.req.raw.body) return next(); // nothing to decode (GET, HEAD, no body)
    const unsupported = codings.find((s) => !DECODERS[s]);
    if (unsupported) {
      c.header("Accept-Encoding", SUPPORTED_ENCODINGS.join(", "));
      return problemResponse(
        c,
        415,
        `Content-Encoding "${unsupported}" is not supported; use ${SUPPORTED_ENCODINGS.join(", ")} or none`,
      );
    }
    let body = await readBounded(c.req.raw, maxBytes);
    if (!body) return tooLarge(c, maxBytes, false);
    // Codings are listed in the order they were applied: undo them from last to first.
    for (const coding of [...codings].reverse()) {
      try {
        body = await DECODERS[coding](body, { maxOutputLength: maxBytes });
      } catch (err) {
        if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError) {
          return tooLarge(c, maxBytes, true);
        }
        return problemResponse(c, 400, `request body is not valid ${coding} data`);
      }
    }
    const headers = new Headers(c.req.raw.headers);
    headers.delete("content-encoding");
    headers.set("content-length", String(body.byteLength));
    c.req.raw = new Request(c.req.raw.url, {
      method: c.req.raw.method,
      headers,
      body: new Uint8Array(body),
      signal: c.req.raw.signal,
    });
    await next();
    return undefined;
  };
}

/**
 * Middleware: give a HEAD response the Content-Length of the GET body it stands for (Hono answers HEAD by
 * running the GET handler and dropping the body; the Node adapter then sends no length). The length is that
 * of the identity body (Hono's compress skips HEAD).
 */
export function headContentLength(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.req.method !== "HEAD" || c.res.headers.has("content-length") || !c.res.body) return;
    const length = (await c.res.clone().arrayBuffer()).byteLength;
    c.res.headers.set("Content-Length", String(length));
  };
}

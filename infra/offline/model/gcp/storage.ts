/**
 * Cloud Storage: buckets, bucket IAM members and objects. An object's MD5 and CRC32C are computed from
 * its `content` when the program gives it inline (they are real, not placeholders); for file sources
 * they stay unknown, as they are until the upload.
 */
import { createHash } from "node:crypto";
import { autoName, hex, str } from "../context";
import { CREATED, iamMember, Model } from "./shared";

/** CRC32C (Castagnoli), the checksum Cloud Storage reports, base64 of the big-endian value. */
export function crc32c(data: Buffer): string {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out.toString("base64");
}

export const STORAGE_MODELS: Record<string, Model> = {
  "gcp:storage/bucket:Bucket": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { lowercase: true, maxLength: 63 });
    ctx.placeholder("projectNumber");
    return {
      id: name,
      out: {
        name,
        url: `gs://${name}`,
        selfLink: `https://www.googleapis.com/storage/v1/b/${name}`,
        projectNumber: Number(ctx.projectNumber),
        timeCreated: CREATED,
        updated: CREATED,
      },
    };
  },
  "gcp:storage/bucketIAMMember:BucketIAMMember": iamMember(
    (call) => `b/${str(call.inputs, "bucket") ?? "bucket"}`,
  ),
  "gcp:storage/bucketObject:BucketObject": (call, ctx) => {
    const bucket = str(call.inputs, "bucket") ?? "bucket";
    const name = str(call.inputs, "name") ?? call.name;
    const path = `b/${bucket}/o/${encodeURIComponent(name)}`;
    const generation = 1767225600000000 + (parseInt(hex(ctx.seed, 6), 16) % 1000000);
    ctx.placeholder("assignedId");
    const out: Record<string, unknown> = {
      name,
      outputName: name,
      selfLink: `https://www.googleapis.com/storage/v1/${path}`,
      mediaLink: `https://storage.googleapis.com/download/storage/v1/${path}?generation=${generation}&alt=media`,
      generation,
    };
    if (typeof call.inputs.content === "string") {
      const data = Buffer.from(call.inputs.content);
      const md5 = createHash("md5").update(data).digest();
      Object.assign(out, {
        md5hash: md5.toString("base64"),
        md5hexhash: md5.toString("hex"),
        crc32c: crc32c(data),
      });
    }
    return { id: `${bucket}-${name}`, out };
  },
};

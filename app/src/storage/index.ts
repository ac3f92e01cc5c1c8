/**
 * `createStorage(config)`: the object storage adapter chosen by STORAGE_BACKEND (docs/app.md, "Images"):
 * - `s3`:    STORAGE_BUCKET, STORAGE_REGION, optional STORAGE_ENDPOINT + STORAGE_FORCE_PATH_STYLE;
 * - `gcs`:   STORAGE_BUCKET, optional STORAGE_ENDPOINT (the JSON API endpoint);
 * - `local`: STORAGE_LOCAL_DIR;
 * - `none`:  no storage: the image routes answer 503.
 * Every backend writes under STORAGE_PREFIX. loadConfig has already checked that the needed keys are set.
 */
import type { Config } from "../env";
import { GcsStorage } from "./gcs";
import { LocalStorage } from "./local";
import { S3Storage } from "./s3";
import type { ObjectStorage } from "./types";

export type { ObjectStorage, PutOptions } from "./types";
export { GcsStorage, LocalStorage, S3Storage };

export function createStorage(
  config: Pick<
    Config,
    | "STORAGE_BACKEND"
    | "STORAGE_BUCKET"
    | "STORAGE_PREFIX"
    | "STORAGE_REGION"
    | "STORAGE_ENDPOINT"
    | "STORAGE_FORCE_PATH_STYLE"
    | "STORAGE_LOCAL_DIR"
  >,
): ObjectStorage | undefined {
  switch (config.STORAGE_BACKEND) {
    case "s3":
      return new S3Storage({
        bucket: config.STORAGE_BUCKET!,
        prefix: config.STORAGE_PREFIX,
        region: config.STORAGE_REGION ?? "us-east-1",
        endpoint: config.STORAGE_ENDPOINT,
        forcePathStyle: config.STORAGE_FORCE_PATH_STYLE === "true",
      });
    case "gcs":
      return new GcsStorage({
        bucket: config.STORAGE_BUCKET!,
        prefix: config.STORAGE_PREFIX,
        apiEndpoint: config.STORAGE_ENDPOINT,
      });
    case "local":
      return new LocalStorage(config.STORAGE_LOCAL_DIR!, config.STORAGE_PREFIX);
    case "none":
      return undefined;
  }
}

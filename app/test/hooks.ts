/**
 * Mocha root hooks: stop the private PostgreSQL cluster, Redis servers, S3 servers and GCS emulators (if the
 * harness started them and a suite did not stop them itself).
 */
import { stopServices } from "./harness";
import { stopRedisServers } from "./redis";
import { stopGcsServers } from "./gcs";
import { stopS3Servers } from "./s3";

export const mochaHooks = {
  async afterAll(): Promise<void> {
    stopServices();
    await stopRedisServers();
    await stopS3Servers();
    await stopGcsServers();
  },
};

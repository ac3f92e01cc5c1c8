/**
 * Mocha root hooks: stop the private PostgreSQL cluster, Redis servers and S3 servers (if the harness started
 * them and a suite did not stop them itself).
 */
import { stopServices } from "./harness";
import { stopRedisServers } from "./redis";
import { stopS3Servers } from "./s3";

export const mochaHooks = {
  async afterAll(): Promise<void> {
    stopServices();
    await stopRedisServers();
    await stopS3Servers();
  },
};

/** Mocha root hooks: stop the private PostgreSQL cluster and Redis servers (if the harness started them). */
import { stopServices } from "./harness";
import { stopRedisServers } from "./redis";

export const mochaHooks = {
  async afterAll(): Promise<void> {
    stopServices();
    await stopRedisServers();
  },
};

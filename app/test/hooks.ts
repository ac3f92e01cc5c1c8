/** Mocha root hooks: stop the private PostgreSQL cluster (if the harness started one) after the run. */
import { stopServices } from "./harness";

export const mochaHooks = {
  afterAll(): void {
    stopServices();
  },
};

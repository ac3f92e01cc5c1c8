/**
 * Meridian's Pulumi program (Pulumi.yaml `main`).
 *
 * Reads and validates the whole stack config before any resource exists (a bad value stops the run
 * with every problem listed), then builds the environment on the selected cloud. Both clouds return the
 * same outputs contract (components/shared/contracts.ts), which becomes the stack outputs.
 */
import { loadConfig } from "./config";
import type { StackOutputs } from "../components/shared/contracts";

export = async (): Promise<StackOutputs> => {
  const config = loadConfig();
  // Load only the selected cloud's provider SDK: the other one is never needed by this stack.
  if (config.cloud === "aws") return (await import("../stacks/aws")).createAwsStack(config);
  return (await import("../stacks/gcp")).createGcpStack(config);
};

/**
 * Cloud Run instance sizes: the vCPU counts Cloud Run accepts with request concurrency above 1 and the
 * memory range (MiB) each allows in the second-generation execution environment
 * (https://cloud.google.com/run/docs/configuring/services/memory-limits and .../cpu, read 2026-11).
 * Used by the service component and by config validation, as `../aws/fargate.ts` is for Fargate.
 */

/** vCPU -> allowed memory range in MiB. Less than 1 vCPU requires concurrency 1, which Meridian does not use. */
export const CLOUD_RUN_SIZES: ReadonlyMap<number, { min: number; max: number }> = new Map([
  [1, { min: 512, max: 4096 }],
  [2, { min: 512, max: 8192 }],
  [4, { min: 2048, max: 16384 }],
  [6, { min: 4096, max: 24576 }],
  [8, { min: 4096, max: 32768 }],
]);

/** Returns what is wrong with a CPU/memory pair for Cloud Run, or undefined when Cloud Run runs it. */
export function cloudRunSizeProblem(cpu: number, memoryMiB: number): string | undefined {
  const range = CLOUD_RUN_SIZES.get(cpu);
  if (!range) {
    return cpu < 1
      ? `cpu ${cpu}: Cloud Run allows less than 1 vCPU only with concurrency 1, which Meridian does not use; allowed: 1, 2, 4, 6, 8`
      : `cpu ${cpu}: Cloud Run runs 1, 2, 4, 6 or 8 vCPU`;
  }
  if (!Number.isInteger(memoryMiB) || memoryMiB < range.min || memoryMiB > range.max) {
    return `memoryMiB ${memoryMiB}: Cloud Run with ${cpu} vCPU allows ${range.min}-${range.max} MiB`;
  }
  return undefined;
}

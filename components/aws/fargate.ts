/**
 * Fargate task sizes: the CPU units (1024 = 1 vCPU) Fargate accepts and the memory (MiB) each allows.
 * Used by the service component and by config validation (which speaks vCPU).
 */

/** Memory (MiB) Fargate accepts for each CPU size (CPU units: 1024 = 1 vCPU). */
export const FARGATE_SIZES: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/**
 * A bounded rolling window of latency samples (the last `capacity` samples no older than `maxAgeMs`), for the
 * health dashboard's p95 and error rate. O(1) insert, O(n log n) summary over at most `capacity` samples.
 */
export interface WindowSummary {
  samples: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  errorRate: number;
}

export class RollingWindow {
  private readonly ms: Float64Array;
  private readonly at: Float64Array;
  private readonly ok: Uint8Array;
  private next = 0;
  private size = 0;

  constructor(
    readonly capacity: number,
    readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.ms = new Float64Array(capacity);
    this.at = new Float64Array(capacity);
    this.ok = new Uint8Array(capacity);
  }

  add(ms: number, ok: boolean): void {
    this.ms[this.next] = ms;
    this.at[this.next] = this.now();
    this.ok[this.next] = ok ? 1 : 0;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  summary(): WindowSummary {
    const cutoff = this.now() - this.maxAgeMs;
    const values: number[] = [];
    let errors = 0;
    for (let i = 0; i < this.size; i++) {
      if (this.at[i] < cutoff) continue;
      values.push(this.ms[i]);
      if (this.ok[i] === 0) errors++;
    }
    if (values.length === 0) return { samples: 0, p50Ms: null, p95Ms: null, p99Ms: null, errorRate: 0 };
    values.sort((a, b) => a - b);
    const q = (p: number) => round(values[Math.min(values.length - 1, Math.ceil(p * values.length) - 1)]);
    return {
      samples: values.length,
      p50Ms: q(0.5),
      p95Ms: q(0.95),
      p99Ms: q(0.99),
      errorRate: errors / values.length,
    };
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Latency and rate summaries over measured samples (milliseconds). */
export interface LatencySummary {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile of an ascending-sorted array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarise(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return { n: sorted.length, p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), mean: round(sum / (sorted.length || 1)), max: round(sorted.at(-1) ?? NaN) };
}

export const round = (x: number, digits = 2) => Number.isFinite(x) ? Number(x.toFixed(digits)) : x;

export interface LoadResult {
  /** Completed operations per second over the whole run. */
  perSecond: number;
  latency: LatencySummary;
  errors: number;
}

/**
 * Runs `total` operations with at most `concurrency` in flight (closed loop: each of `concurrency`
 * callers starts its next operation when its last one ends) and times each one.
 */
export async function runLoad(total: number, concurrency: number, operation: (i: number) => Promise<unknown>): Promise<LoadResult> {
  const samples: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, async () => {
    for (let i = next++; i < total; i = next++) {
      const t0 = performance.now();
      try {
        await operation(i);
        samples.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: round(samples.length / seconds), latency: summarise(samples), errors };
}

/**
 * Times `rounds` rounds of the operations one after another (a, b, a, b, …), one at a time: a figure and
 * its baseline measured this way see the same machine, however noisy it is.
 */
export async function alternate(rounds: number, operations: Array<() => Promise<unknown>>): Promise<LatencySummary[]> {
  const samples = operations.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (const [i, operation] of operations.entries()) {
      const t0 = performance.now();
      await operation();
      samples[i]!.push(performance.now() - t0);
    }
  }
  return samples.map(summarise);
}

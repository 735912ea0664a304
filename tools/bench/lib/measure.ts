import { performance } from 'node:perf_hooks';

/** Timing summary of repeated runs, milliseconds. */
export interface Timing {
  name: string;
  runs: number;
  medianMs: number;
  minMs: number;
  meanMs: number;
}

/** Runs `fn` after `warmup` calls until `minMs` has elapsed (at least `minRuns` runs) and summarizes. */
export async function measure(
  name: string,
  fn: () => unknown | Promise<unknown>,
  options: { warmup?: number; minMs?: number; minRuns?: number; maxRuns?: number } = {},
): Promise<Timing> {
  const { warmup = 2, minMs = 1000, minRuns = 5, maxRuns = 10_000 } = options;
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxRuns && (times.length < minRuns || performance.now() - start < minMs)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const medianMs = times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  return { name, runs: times.length, medianMs, minMs: times[0]!, meanMs: times.reduce((s, t) => s + t, 0) / times.length };
}

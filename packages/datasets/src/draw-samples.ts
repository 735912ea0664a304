import { createRng } from '@smart/core';
import { DrawExhaustedError } from './errors';

/**
 * The seeded order in which samples are drawn: the distinct ids sorted by code unit (so the input
 * order does not matter), then Fisher–Yates shuffled with `createRng(seed).stream('draw')`.
 */
export function drawOrder(ids: Iterable<string>, seed: number | string): string[] {
  const sorted = [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return createRng(seed).stream('draw').shuffle(sorted);
}

/** Options of `drawIteration`. */
export interface DrawIterationOptions {
  seed: number | string;
  /** 0-based iteration index k. */
  iteration: number;
  /** Samples per iteration: one size for every iteration, or one per iteration (k-th entry used by iteration k). */
  size: number | number[];
}

/**
 * The ids of iteration k: the slice of `drawOrder(ids, seed)` after the samples of iterations 0..k-1.
 * Iterations never overlap, and the same pool, seed and sizes always give the same draw.
 */
export function drawIteration(ids: Iterable<string>, options: DrawIterationOptions): string[] {
  const { iteration, size } = options;
  if (!Number.isInteger(iteration) || iteration < 0) throw new RangeError(`iteration must be a non-negative integer, got ${iteration}`);
  const sizeOf = (k: number): number => {
    const n = typeof size === 'number' ? size : size[k];
    if (n === undefined || !Number.isInteger(n) || n < 0) throw new RangeError(`no valid sample count for iteration ${k}`);
    return n;
  };
  let offset = 0;
  for (let k = 0; k < iteration; k++) offset += sizeOf(k);
  const count = sizeOf(iteration);
  const order = drawOrder(ids, options.seed);
  if (offset + count > order.length) throw new DrawExhaustedError(count, Math.max(0, order.length - offset), iteration);
  return order.slice(offset, offset + count);
}

/** Options of `drawExcluding`. */
export interface DrawExcludingOptions {
  seed: number | string;
  count: number;
  /** Ids already used by earlier iterations (e.g. read back from the run's store). */
  exclude: Iterable<string>;
}

/**
 * The first `count` ids of `drawOrder(ids, seed)` that are not in `exclude`. With the same pool and
 * seed this equals `drawIteration` when `exclude` is the union of the earlier draws, and it stays
 * disjoint from them even when the pool has grown since.
 */
export function drawExcluding(ids: Iterable<string>, options: DrawExcludingOptions): string[] {
  const { count } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const excluded = new Set(options.exclude);
  const out: string[] = [];
  let available = 0;
  for (const id of drawOrder(ids, options.seed)) {
    if (excluded.has(id)) continue;
    available++;
    if (out.length < count) out.push(id);
  }
  if (out.length < count) throw new DrawExhaustedError(count, available);
  return out;
}

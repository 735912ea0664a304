import { mropeRows, type MropeTokens } from '@smart/core';

/** One prompt's M-RoPE positions: `positions` [3, L] (temporal, height, width rows) and its rope delta. */
export interface PromptPositions {
  positions: BigInt64Array;
  /** max position + 1 − L: generated token k (0-based) of this row takes position L + k + delta on all three axes. */
  delta: number;
}

/**
 * M-RoPE positions of one unpadded prompt (`@smart/core`'s `mropeRows`, HF's `get_rope_index`) and its rope
 * delta: what HF caches as `rope_deltas` and adds to the cache position on decode steps. A left-padded row's
 * padding shifts both the same way, so positions here never depend on batch mates. `grids`: the prompt's
 * images, in order.
 */
export function mropePositions(config: MropeTokens, ids: readonly number[], grids: readonly (readonly [number, number, number])[]): PromptPositions {
  const L = ids.length;
  const { rows, next } = mropeRows(config, ids, grids, 'the prompt');
  const positions = new BigInt64Array(3 * L);
  rows.forEach((axis, r) => axis.forEach((p, s) => (positions[r * L + s] = BigInt(p))));
  return { positions, delta: next - L };
}

/** Plain 1-D positions 0..L−1 (every family without M-RoPE). */
export function linearPositions(length: number): PromptPositions {
  return { positions: BigInt64Array.from({ length }, (_, i) => BigInt(i)), delta: 0 };
}

import type { Rng } from '@smart/types';
import { forceToken, sampleNextToken, type TokenSamplingParams } from '../sampling/sample-next-token';
import type { TjsLibrary, TjsTensor } from './transformers-js-surface';

/** Sampling state of one batch row: its settings and its private RNG stream. */
export interface RowSampler {
  params: TokenSamplingParams;
  rng: Rng;
}

/** A LogitsProcessor instance as the library calls it: `(input_ids, logits) => logits`. */
export type LogitsProcessorFn = (inputIds: bigint[][], logits: TjsTensor) => TjsTensor;

/**
 * Builds a library `LogitsProcessor` that does the whole sampling step per row: temperature, top-k,
 * top-p (missing from transformers.js 4.3.1), then a draw from that row's own RNG. The chosen token
 * is written back as a one-hot row, so generation runs with `do_sample: false` and the library's
 * greedy pick returns our token. Per-row RNGs make a row's tokens independent of its batch mates.
 */
export function createSamplingLogitsProcessor(
  lib: Pick<TjsLibrary, 'LogitsProcessor'>,
  rows: readonly RowSampler[],
  /** Sees each row's raw logits [V] before sampling (for scoring and tests). */
  observe?: (row: Float32Array, batchIndex: number) => void,
): LogitsProcessorFn {
  class SamplingLogitsProcessor extends lib.LogitsProcessor {
    _call(_inputIds: bigint[][], logits: TjsTensor): TjsTensor {
      // logits: [B, V]
      const batch = logits.dims[0]!;
      if (batch !== rows.length) throw new RangeError(`sampling processor built for ${rows.length} rows, got logits for ${batch}`);
      for (let b = 0; b < batch; b++) {
        const row = logits[b]!.data as Float32Array;
        observe?.(row, b);
        const token = sampleNextToken(row, rows[b]!.params, rows[b]!.rng);
        forceToken(row, token);
      }
      return logits;
    }
  }
  return new SamplingLogitsProcessor() as unknown as LogitsProcessorFn;
}

import type { FinishReason } from '@smart/types';

/** One generated row cut at its first EOS. */
export interface TruncatedRow {
  /** Tokens to decode: the generated tokens before the first EOS (EOS itself excluded). */
  tokens: number[];
  finishReason: Extract<FinishReason, 'stop' | 'length'>;
  /** Tokens the model produced for this row, counting the EOS that stopped it. */
  completionTokens: number;
}

/**
 * Cuts a row of generated tokens at its first EOS, or at `maxNewTokens`. Batched generation keeps
 * feeding finished rows until every row stops, so whatever follows a row's first EOS is discarded.
 */
export function truncateAtEos(generated: readonly (number | bigint)[], eosIds: ReadonlySet<number>, maxNewTokens: number): TruncatedRow {
  const limit = Math.min(generated.length, maxNewTokens);
  const tokens: number[] = [];
  for (let i = 0; i < limit; i++) {
    const t = Number(generated[i]);
    if (eosIds.has(t)) return { tokens, finishReason: 'stop', completionTokens: tokens.length + 1 };
    tokens.push(t);
  }
  return { tokens, finishReason: 'length', completionTokens: tokens.length };
}

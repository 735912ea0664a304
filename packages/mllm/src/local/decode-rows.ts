import { truncateAtEos } from './eos-truncate';
import type { RowOutput } from './row-plan';
import type { TjsTokenizer } from './transformers-js-surface';

/** Turns generated sequences [B, L + T] into per-row outputs: strip the padded prompt, cut at EOS, decode. */
export function decodeRows(
  sequences: readonly (readonly bigint[])[],
  promptLength: number,
  rows: readonly { prompt: { ids: readonly bigint[] } }[],
  budgets: readonly number[],
  eosIds: ReadonlySet<number>,
  tokenizer: Pick<TjsTokenizer, 'decode'>,
): Omit<RowOutput, 'startMs' | 'endMs'>[] {
  return rows.map((row, b) => {
    const cut = truncateAtEos(sequences[b]!.slice(promptLength), eosIds, budgets[b]!);
    return {
      text: tokenizer.decode(cut.tokens, { skip_special_tokens: true }),
      finishReason: cut.finishReason,
      completionTokens: cut.completionTokens,
      promptTokens: row.prompt.ids.length,
    };
  });
}

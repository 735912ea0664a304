import type { TjsTokenizer } from './transformers-js-surface';

/**
 * Every token id that ends a generated turn: the `eos_token_id` (number or list) of each source, in
 * order (generation_config.json, config.json, its text_config), then the tokenizer's EOS. Chat models
 * often list several (Qwen2: `<|im_end|>` and `<|endoftext|>`); generation stops on any of them.
 */
export function collectEosIds(sources: readonly (Record<string, unknown> | null | undefined)[], tokenizer: Pick<TjsTokenizer, 'eos_token_id'>): Set<number> {
  const ids = new Set<number>();
  const values: unknown[] = [];
  for (const source of sources) {
    values.push(source?.eos_token_id);
    const text = source?.text_config;
    if (text !== null && typeof text === 'object') values.push((text as Record<string, unknown>).eos_token_id);
  }
  values.push(tokenizer.eos_token_id);
  for (const value of values) {
    for (const id of Array.isArray(value) ? value : [value]) if (typeof id === 'number' && Number.isInteger(id)) ids.add(id);
  }
  return ids;
}

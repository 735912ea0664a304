import { tinyModelConfig, type TinyModelOptions } from '../src/llava/tiny-model';

/** A tiny LLaVA config for tests, with the byte-level tokenizer's ids (256 bytes + 4 specials, `<image>` = 259). */
export function tinyTestConfig(overrides: Omit<TinyModelOptions, 'dir' | 'seed' | 'preset' | 'merges'> = {}) {
  const { json, config } = tinyModelConfig({ preset: 'tiny', ...overrides });
  return { json, config };
}

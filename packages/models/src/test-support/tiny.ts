import { parseLlavaConfig } from '../config/read-config';
import { tinyLlavaConfigJson, type TinyConfigOptions } from '../config/presets';

/** A tiny LLaVA config for tests: byte-level vocabulary (256 + 4 specials), `<image>` = 259. */
export function tinyTestConfig(overrides: Partial<TinyConfigOptions> = {}) {
  const json = tinyLlavaConfigJson({
    preset: 'tiny',
    vocabSize: 260,
    imageTokenIndex: 259,
    eosTokenId: 258,
    padTokenId: 256,
    ...overrides,
  });
  return { json, config: parseLlavaConfig(json) };
}

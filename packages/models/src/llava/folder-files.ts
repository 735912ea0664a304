import type { JsonObject, ModelFiles } from '../files/model-files';
import { MODEL_FILE_NAMES } from '../files/model-files';
import { addedTokensDecoder, specialTokensMap } from '../tokenizer/special-tokens';
import type { LlavaConfig } from './llava-config';
import { generationConfig, preprocessorConfig, processorConfig } from './processor-files';

/** A tokenizer to build a model folder's files from (a new model: tiny models, tests, benchmarks). */
export interface TokenizerFiles {
  tokenizerJson: unknown;
  tokenizerConfig: Record<string, unknown>;
  eosTokenId: number;
  padTokenId: number;
}

/**
 * Every model file of a new LLaVA folder, as HF's `save_pretrained` writes them: tokenizer.json,
 * tokenizer_config.json (with `added_tokens_decoder`), special_tokens_map.json, chat_template.json,
 * generation_config.json, preprocessor_config.json and processor_config.json (image-token count in the
 * `python` or `transformers.js` convention).
 */
export function llavaModelFiles(config: LlavaConfig, tokenizer: TokenizerFiles, convention: 'transformers.js' | 'python'): ModelFiles {
  const tokenizerJson = tokenizer.tokenizerJson as JsonObject;
  const tokenizerConfig: JsonObject = { added_tokens_decoder: addedTokensDecoder(tokenizerJson), ...tokenizer.tokenizerConfig };
  const template = tokenizerConfig['chat_template'];
  return {
    tokenizer: tokenizerJson,
    tokenizerConfig,
    specialTokensMap: specialTokensMap(tokenizerJson, tokenizerConfig),
    ...(typeof template === 'string' ? { chatTemplate: { chat_template: template } } : {}),
    generationConfig: generationConfig({ eosTokenId: tokenizer.eosTokenId, padTokenId: tokenizer.padTokenId }),
    preprocessorConfig: preprocessorConfig(config),
    processorConfig: processorConfig(config, { convention }),
  };
}

/** llavaModelFiles keyed by file name (`tokenizer.json`, …). */
export function modelFolderFiles(config: LlavaConfig, tokenizer: TokenizerFiles, convention: 'transformers.js' | 'python'): Record<string, unknown> {
  const files = llavaModelFiles(config, tokenizer, convention);
  return Object.fromEntries(Object.entries(files).map(([key, value]) => [MODEL_FILE_NAMES[key as keyof ModelFiles], value]));
}

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LlavaConfig } from './llava-config';
import { generationConfig, preprocessorConfig, processorConfig } from './processor-files';

/** Tokenizer files copied into every folder. */
export interface TokenizerFiles {
  tokenizerJson: unknown;
  tokenizerConfig: Record<string, unknown>;
  eosTokenId: number;
  padTokenId: number;
}

/** generation/preprocessor/processor/tokenizer files of a model folder, by file name. */
export function modelFolderFiles(config: LlavaConfig, tokenizer: TokenizerFiles, convention: 'transformers.js' | 'python'): Record<string, unknown> {
  return {
    'generation_config.json': generationConfig({ eosTokenId: tokenizer.eosTokenId, padTokenId: tokenizer.padTokenId }),
    'preprocessor_config.json': preprocessorConfig(config),
    'processor_config.json': processorConfig(config, { convention }),
    'tokenizer.json': tokenizer.tokenizerJson,
    'tokenizer_config.json': tokenizer.tokenizerConfig,
  };
}

/** Writes each value as pretty JSON to `<dir>/<name>`. */
export async function writeJsonFiles(dir: string, files: Record<string, unknown>): Promise<void> {
  for (const [name, value] of Object.entries(files)) await writeFile(join(dir, name), JSON.stringify(value, null, 2));
}

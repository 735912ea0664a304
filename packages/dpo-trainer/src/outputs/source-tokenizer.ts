import type { TokenizerFiles } from '@smart/models';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ModelFolderError } from '../errors';

const tokenId = z.union([z.number().int(), z.array(z.number().int()).min(1)]).transform((v) => (Array.isArray(v) ? v[0]! : v));
const generationSchema = z.object({ eos_token_id: tokenId, pad_token_id: tokenId.nullish() });

async function readJson(dir: string, file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(join(dir, file), 'utf8'));
  } catch (err) {
    throw new ModelFolderError(dir, `${file}: ${(err as Error).message}`);
  }
}

/**
 * The tokenizer files of an HF checkpoint folder (tokenizer.json, tokenizer_config.json, EOS/pad from
 * generation_config.json), so every folder the trainer writes carries the tokenizer it was trained with.
 */
export async function readTokenizerFiles(checkpointDir: string): Promise<TokenizerFiles> {
  const tokenizerJson = await readJson(checkpointDir, 'tokenizer.json');
  const tokenizerConfig = z.record(z.string(), z.unknown()).safeParse(await readJson(checkpointDir, 'tokenizer_config.json'));
  const generation = generationSchema.safeParse(await readJson(checkpointDir, 'generation_config.json'));
  if (!tokenizerConfig.success) throw new ModelFolderError(checkpointDir, 'tokenizer_config.json is not an object');
  if (!generation.success) throw new ModelFolderError(checkpointDir, 'generation_config.json has no eos_token_id');
  const { eos_token_id: eosTokenId, pad_token_id: pad } = generation.data;
  return { tokenizerJson, tokenizerConfig: tokenizerConfig.data, eosTokenId, padTokenId: pad ?? eosTokenId };
}

import { cpSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { familyOf, readModelConfig, type TokenizerFiles } from '@smart/models';
import { MissingInputError } from '../errors/errors';

/** What an import wrote. */
export interface ImportedCheckpoint {
  checkpointDir: string;
  modelDir: string;
  /** False when both folders were already there (a resumed run). */
  imported: boolean;
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

function firstId(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && typeof v[0] === 'number') return v[0];
  return undefined;
}

/** The tokenizer files of an HF folder, with EOS/pad ids from generation_config.json or config.json. */
export function readTokenizerFiles(folder: string): TokenizerFiles {
  const tokenizerFile = join(folder, 'tokenizer.json');
  if (!existsSync(tokenizerFile)) throw new MissingInputError(tokenizerFile, 'tokenizer.json of the checkpoint');
  const configFile = join(folder, 'tokenizer_config.json');
  const gen = existsSync(join(folder, 'generation_config.json')) ? readJson(join(folder, 'generation_config.json')) : {};
  const cfg = readJson(join(folder, 'config.json'));
  const text = (cfg['text_config'] ?? {}) as Record<string, unknown>;
  const eos = firstId(gen['eos_token_id']) ?? firstId(text['eos_token_id']) ?? firstId(cfg['eos_token_id']);
  const pad = firstId(gen['pad_token_id']) ?? firstId(text['pad_token_id']) ?? firstId(cfg['pad_token_id']) ?? eos;
  if (eos === undefined) throw new MissingInputError(join(folder, 'generation_config.json'), 'eos_token_id');
  return {
    tokenizerJson: readJson(tokenizerFile),
    tokenizerConfig: existsSync(configFile) ? readJson(configFile) : {},
    eosTokenId: eos,
    padTokenId: pad!,
  };
}

/**
 * Brings an HF checkpoint of any family models knows (LLaVA, Qwen2-VL; e.g. what an external trainer wrote) into the run: copied to
 * `checkpointDir` and exported as the transformers.js folder `modelDir` the next iteration generates
 * with. Each folder is written under a temporary name and renamed, so a kill never leaves half a model.
 */
export async function importCheckpoint(o: { from: string; checkpointDir: string; modelDir: string }): Promise<ImportedCheckpoint> {
  const from = resolve(o.from);
  if (existsSync(join(o.modelDir, 'config.json')) && existsSync(join(o.checkpointDir, 'config.json'))) {
    return { checkpointDir: o.checkpointDir, modelDir: o.modelDir, imported: false };
  }
  if (!existsSync(join(from, 'config.json'))) throw new MissingInputError(from, 'HF checkpoint folder (config.json)');
  const family = familyOf(readModelConfig(from));
  readTokenizerFiles(from); // refuses a folder without tokenizer.json or an EOS id, naming the file
  const { config, weights, files } = await family.loadCheckpoint(from);
  if (!existsSync(join(o.checkpointDir, 'config.json'))) {
    const tmp = `${o.checkpointDir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    cpSync(from, tmp, { recursive: true });
    rmSync(o.checkpointDir, { recursive: true, force: true });
    renameSync(tmp, o.checkpointDir);
  }
  const tmpModel = `${o.modelDir}.tmp-${process.pid}`;
  rmSync(tmpModel, { recursive: true, force: true });
  await family.writeInferenceFolder(tmpModel, config, weights, files);
  rmSync(o.modelDir, { recursive: true, force: true });
  renameSync(tmpModel, o.modelDir);
  return { checkpointDir: o.checkpointDir, modelDir: o.modelDir, imported: true };
}

import { readRegularFile, RecordFileError, writeFileAtomic } from '@smart/core';
import { join } from 'node:path';
import { z } from 'zod';
import { MissingModelFileError, ModelFileError } from '../errors';

/** A parsed JSON object; unknown keys are kept so files round-trip. */
export type JsonObject = Record<string, unknown>;

/**
 * The non-weight files of an HF model folder that must travel with its weights, parsed, as HF writes them.
 * Each is optional on read (a weights-only folder loads); an export names the ones it needs.
 */
export interface ModelFiles {
  /** tokenizer.json (the `tokenizers` library's file). */
  tokenizer?: JsonObject;
  /** tokenizer_config.json (with `chat_template`, `padding_side`, `added_tokens_decoder`). */
  tokenizerConfig?: JsonObject;
  /** special_tokens_map.json. */
  specialTokensMap?: JsonObject;
  /** chat_template.json (`{ chat_template }`, what Python processors read). */
  chatTemplate?: JsonObject;
  /** chat_template.jinja (newer `transformers` write the template as plain text). */
  chatTemplateJinja?: string;
  /** generation_config.json. */
  generationConfig?: JsonObject;
  /** preprocessor_config.json (image processor: size, mean, std). */
  preprocessorConfig?: JsonObject;
  /** processor_config.json (LLaVA: image token, patch size, additional image tokens). */
  processorConfig?: JsonObject;
}

/** File name of each entry of ModelFiles. */
export const MODEL_FILE_NAMES: Readonly<Record<keyof ModelFiles, string>> = {
  tokenizer: 'tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
  specialTokensMap: 'special_tokens_map.json',
  chatTemplate: 'chat_template.json',
  chatTemplateJinja: 'chat_template.jinja',
  generationConfig: 'generation_config.json',
  preprocessorConfig: 'preprocessor_config.json',
  processorConfig: 'processor_config.json',
};

/** Bound on one model file read whole (tokenizer.json of a 150k vocabulary is ~10 MB). */
const MAX_MODEL_FILE_BYTES = 256 * 2 ** 20;

const KEYS = Object.keys(MODEL_FILE_NAMES) as (keyof ModelFiles)[];
const jsonObject = z.record(z.string(), z.unknown());

/** Reads every model file present in `folder` (absent ones are left out); malformed ones throw ModelFileError. */
export async function readModelFiles(folder: string): Promise<ModelFiles> {
  const files: ModelFiles = {};
  for (const key of KEYS) {
    const file = join(folder, MODEL_FILE_NAMES[key]);
    let text: string;
    try {
      text = (await readRegularFile(file, { maxBytes: MAX_MODEL_FILE_BYTES })).toString('utf8');
    } catch (e) {
      if ((e as { cause?: NodeJS.ErrnoException }).cause?.code === 'ENOENT') continue;
      throw new ModelFileError(file, `cannot read: ${e instanceof RecordFileError ? e.reason : (e as Error).message}`);
    }
    if (key === 'chatTemplateJinja') {
      files.chatTemplateJinja = text;
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new ModelFileError(file, `not valid JSON: ${(e as Error).message}`);
    }
    const parsed = jsonObject.safeParse(json);
    if (!parsed.success) throw new ModelFileError(file, 'is not a JSON object');
    files[key] = parsed.data;
  }
  return files;
}

/** Writes the model files present in `files` into `folder`, each atomically (temp file, fsync, rename); returns their names. */
export async function writeModelFiles(folder: string, files: ModelFiles): Promise<string[]> {
  const written: string[] = [];
  for (const key of KEYS) {
    const value = files[key];
    if (value === undefined) continue;
    const name = MODEL_FILE_NAMES[key];
    await writeFileAtomic(join(folder, name), typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
    written.push(name);
  }
  return written;
}

/** `files[key]`, or MissingModelFileError naming the file and what needs it. */
export function requireModelFile<K extends keyof ModelFiles>(files: ModelFiles, key: K, folder: string, purpose: string): NonNullable<ModelFiles[K]> {
  const value = files[key];
  if (value === undefined) throw new MissingModelFileError(folder, MODEL_FILE_NAMES[key], purpose);
  return value as NonNullable<ModelFiles[K]>;
}

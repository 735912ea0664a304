import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ModelLoadError } from '../errors';
import type { TjsLibrary, TjsProcessor } from './transformers-js-surface';

/** Throws ModelLoadError unless `modelPath` is an absolute folder with a config.json (relative strings are read as hub ids). */
export function checkModelFolder(modelPath: string): void {
  if (!isAbsolute(modelPath)) throw new ModelLoadError(modelPath, 'path must be absolute (relative paths are resolved as hub ids)');
  if (!existsSync(join(modelPath, 'config.json'))) throw new ModelLoadError(modelPath, 'config.json not found');
}

/** Switches the library to local folders only: never reach the hub, never write a cache (library-wide). */
export function useLocalFoldersOnly(lib: Pick<TjsLibrary, 'env'>): void {
  lib.env.allowRemoteModels = false;
  lib.env.allowLocalModels = true;
  lib.env.useFSCache = false;
}

/** Loads a folder's processor (tokenizer, chat template, image processor) offline; throws ModelLoadError. */
export async function loadProcessor(lib: Pick<TjsLibrary, 'env' | 'AutoProcessor'>, modelPath: string): Promise<TjsProcessor> {
  checkModelFolder(modelPath);
  useLocalFoldersOnly(lib);
  try {
    return await lib.AutoProcessor.from_pretrained(modelPath);
  } catch (err) {
    throw new ModelLoadError(modelPath, `processor: ${(err as Error).message}`, { cause: err });
  }
}

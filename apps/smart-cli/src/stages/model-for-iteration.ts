import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunConfig } from '../config/run-config';
import { StageUnavailableError } from '../errors/errors';
import type { RunPaths } from '../run-folder/run-paths';
import type { BackendSettings } from '../backends/make-generator';

/** Written when iteration k had no kept pairs, so its model is iteration k-1's. */
export function untrainedMarker(paths: RunPaths, k: number): string {
  return join(paths.iter(k), 'untrained.json');
}

/**
 * The backend settings of the model after iteration `k` (0 = the starting model): the run folder's
 * `iter-k/model` when it exists, else the configured starting model. With the openai backend the
 * served name stays the same; `--serve-command` swaps what it serves.
 */
export function modelForIteration(config: RunConfig, paths: RunPaths, k: number): BackendSettings {
  const base = {
    backend: config.backend,
    concurrency: config.concurrency,
    device: config.device,
    generationBatch: config.generationBatch,
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    ...(config.apiKeyEnv ? { apiKeyEnv: config.apiKeyEnv } : {}),
    ...(config.threads ? { threads: config.threads } : {}),
  };
  if (config.backend === 'openai') return { ...base, model: config.model! };
  const folder = paths.model(k);
  if (existsSync(join(folder, 'config.json'))) return { ...base, model: folder };
  // An iteration that had no pairs to train on keeps the model it started from.
  if (k > 0 && existsSync(untrainedMarker(paths, k))) return modelForIteration(config, paths, k - 1);
  if (k === 0 && config.model) return { ...base, model: resolve(config.model) };
  if (k === 0) {
    throw new StageUnavailableError(
      'base',
      config.source === 'synthetic'
        ? 'no --model given and the embedded default base is not built yet: `smart run` builds it (or pass --model FOLDER)'
        : `no --model given: source "${config.source}" needs a starting model (--model FOLDER, or --backend openai --model NAME)`,
    );
  }
  throw new StageUnavailableError('generate', `iteration ${k}'s model (${folder}) does not exist yet: train iteration ${k} first`);
}

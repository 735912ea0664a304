import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { OpenAICompatibleGenerator, TransformersJsGenerator } from '@smart/mllm';
import type { Generator } from '@smart/types';
import { ConfigError, MissingInputError } from '../errors/errors';

/** Settings that pick and configure a generation backend (a subset of the run config). */
export interface BackendSettings {
  backend: 'local' | 'openai';
  /** Local: a transformers.js folder; openai: the served model name. */
  model: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  concurrency: number;
  device: 'cpu' | 'cuda';
  threads?: number;
  generationBatch: number;
}

/** Reads the API key from the named environment variable (never from the config itself). */
export function apiKeyFrom(envVar: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!envVar) return undefined;
  const key = env[envVar];
  if (key === undefined || key === '') throw new ConfigError(`environment variable ${envVar} is not set`, 'apiKeyEnv');
  return key;
}

/** The one place where a concrete Generator is chosen. */
export async function makeGenerator(s: BackendSettings, env: NodeJS.ProcessEnv = process.env): Promise<Generator> {
  if (s.backend === 'openai') {
    if (!s.baseUrl) throw new ConfigError('the openai backend needs --base-url', 'baseUrl');
    const apiKey = apiKeyFrom(s.apiKeyEnv, env);
    // Failed requests come back as results, so one bad item is a counted failure, not a crashed stage.
    return new OpenAICompatibleGenerator({ baseUrl: s.baseUrl, model: s.model, concurrency: s.concurrency, onRequestError: 'result', ...(apiKey ? { apiKey } : {}) });
  }
  const modelPath = resolve(s.model);
  if (!existsSync(resolve(modelPath, 'config.json'))) throw new MissingInputError(modelPath, 'transformers.js model folder (config.json)');
  return TransformersJsGenerator.load({
    modelPath,
    device: s.device,
    batchSize: s.generationBatch,
    ...(s.threads ? { threads: s.threads } : {}),
  });
}

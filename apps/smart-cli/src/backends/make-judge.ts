import { GeneratorJudge, type Judge } from '@smart/evaluators';
import { OpenAICompatibleGenerator } from '@smart/mllm';
import type { PreferenceStore } from '@smart/preference-store';
import { apiKeyFrom } from './make-generator';

/** Judge settings of the run config or the eval flags. */
export interface JudgeSettings {
  judgeBaseUrl?: string;
  judgeModel?: string;
  judgeApiKeyEnv?: string;
  concurrency: number;
}

/** A judge over an OpenAI-compatible server, cached in the store (a re-run asks nothing twice); undefined when none is configured. */
export function makeJudge(s: JudgeSettings, store: PreferenceStore, env: NodeJS.ProcessEnv = process.env): Judge | undefined {
  if (!s.judgeBaseUrl || !s.judgeModel) return undefined;
  const apiKey = apiKeyFrom(s.judgeApiKeyEnv, env);
  const generator = new OpenAICompatibleGenerator({ baseUrl: s.judgeBaseUrl, model: s.judgeModel, concurrency: s.concurrency, ...(apiKey ? { apiKey } : {}) });
  return new GeneratorJudge(generator, { cache: store.judgeCache });
}

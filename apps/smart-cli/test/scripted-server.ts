import { serve, type ServeHandle } from '@smart/mllm';
import { ScriptedGenerator } from './scripted-generator';

/** A ScriptedGenerator behind mllm's OpenAI-compatible server on loopback (what `--backend openai` talks to). */
export async function startScriptedServer(answerFor?: (prompt: string) => string, forgets?: (sampleId: string) => boolean): Promise<{ generator: ScriptedGenerator; server: ServeHandle; baseUrl: string }> {
  const generator = new ScriptedGenerator(answerFor, forgets);
  const server = await serve({ generator, maxBatch: 16 });
  return { generator, server, baseUrl: `${server.url}/v1` };
}

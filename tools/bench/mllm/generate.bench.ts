/**
 * Generated tokens/s of the local transformers.js backend at batch 1, batch 8, and over HTTP
 * (`serve` + OpenAICompatibleGenerator, 4 concurrent requests), as ratios to batch 1 in one run.
 *
 *   npx tsx --tsconfig tools/bench/tsconfig.json tools/bench/mllm/generate.bench.ts /abs/path/to/tiny-vlm
 */
import { isAbsolute, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { OpenAICompatibleGenerator, serve, TransformersJsGenerator } from '@smart/mllm';
import { DEFAULT_SAMPLING, type GenerationRequest, type Generator } from '@smart/types';
import { printTable } from '../lib/table';

const PROMPTS = 64;
const MAX_NEW_TOKENS = 32;

async function main(): Promise<void> {
  const arg = process.argv[2];
  if (!arg) {
    console.error('usage: generate.bench.ts <model folder>\n  a transformers.js image-text-to-text folder, e.g. the tiny LLaVA-style model exported by @smart/models');
    process.exit(2);
  }
  const modelPath = isAbsolute(arg) ? arg : resolve(arg);
  const requests: GenerationRequest[] = Array.from({ length: PROMPTS }, (_, i) => ({
    id: `q${i}`,
    prompt: `Question ${i}: which option matches the picture? ${'Think step by step. '.repeat(i % 4)}`,
    image: { kind: 'rgb', width: 32, height: 32, data: Uint8Array.from({ length: 32 * 32 * 3 }, (_, j) => (j * (i + 3)) % 256) },
    sampling: { ...DEFAULT_SAMPLING, maxNewTokens: MAX_NEW_TOKENS, seed: i },
  }));

  const run = async (generator: Generator) => {
    await generator.generate(requests.slice(0, 2)); // warm-up: session init, first-run allocations
    const t0 = performance.now();
    const results = await generator.generate(requests);
    const seconds = (performance.now() - t0) / 1000;
    const tokens = results.reduce((s, r) => s + r.completionTokens, 0);
    return { tokens, seconds, tokensPerSecond: tokens / seconds };
  };

  const batch1 = await TransformersJsGenerator.load({ modelPath, batchSize: 1 });
  const b1 = await run(batch1);
  await batch1.close();

  const batch8 = await TransformersJsGenerator.load({ modelPath, batchSize: 8 });
  const b8 = await run(batch8);
  const server = await serve({ generator: batch8, maxConcurrent: 1, maxBatch: 8 });
  const client = new OpenAICompatibleGenerator({ baseUrl: `${server.url}/v1`, model: batch8.modelId, concurrency: 4 });
  const http = await run(client);
  await client.close();
  await server.close();
  await batch8.close();

  console.log(`${PROMPTS} prompts, ${MAX_NEW_TOKENS} max new tokens, temperature 0.7, top-p 0.9, model ${modelPath}`);
  printTable(
    ['backend', 'tokens', 'seconds', 'tokens/s', 'ratio to batch 1'],
    [
      ['transformers.js batch 1', b1.tokens, b1.seconds, b1.tokensPerSecond, 1],
      ['transformers.js batch 8', b8.tokens, b8.seconds, b8.tokensPerSecond, b8.tokensPerSecond / b1.tokensPerSecond],
      ['HTTP serve, concurrency 4', http.tokens, http.seconds, http.tokensPerSecond, http.tokensPerSecond / b1.tokensPerSecond],
    ],
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

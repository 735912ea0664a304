import { performance } from 'node:perf_hooks';
import { TransformersJsGenerator } from '../src/local/transformers-js-generator';
import { serve, type ServeHandle } from '../src/serve/serve';
import { describeWithTinyVlm } from './tiny-vlm-fixture';

interface Completion {
  choices: { message: { content: string }; finish_reason: string }[];
  usage: { completion_tokens: number };
}

describeWithTinyVlm('serve over the local generator', (folder) => {
  let generator: TransformersJsGenerator;
  let handle: ServeHandle;
  beforeAll(async () => {
    generator = await TransformersJsGenerator.load({ modelPath: folder(), batchSize: 4, threads: 1 });
    handle = await serve({ generator, requestTimeoutMs: 4000, maxTokens: 100_000 });
  });
  afterAll(async () => {
    await handle?.close();
    await generator?.close();
  });
  const ask = async (content: string, maxTokens: number) => {
    const started = performance.now();
    const res = await fetch(`${handle.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content }], max_tokens: maxTokens, temperature: 0 }),
    });
    return { status: res.status, body: (await res.json()) as Completion, ms: performance.now() - started, end: performance.now() };
  };

  it('a huge request shares the batch: short requests are answered while it runs, and it is cut off at its timeout', async () => {
    const huge = ask('Write forever.', 100_000);
    await new Promise((r) => setTimeout(r, 50));
    const short = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => ask(`Short ${i}.`, 4)));
    const hugeDone = await huge;
    expect(short.map((s) => s.status)).toEqual([200, 200, 200, 200, 200, 200]);
    for (const s of short) expect(s.end).toBeLessThan(hugeDone.end);
    expect(hugeDone.status).toBe(504);
    // Its rows left the batch: the generator is free again.
    const after = await ask('Again.', 3);
    expect(after.status).toBe(200);
    expect(after.body.usage.completion_tokens).toBeLessThanOrEqual(3);
  });
});

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { DEFAULT_SAMPLING, type GenerationRequest, type GenerationResult, type Generator } from '@smart/types';
import { HttpGenerationError } from '../errors';
import { OpenAICompatibleGenerator } from '../openai/openai-compatible-generator';
import { encodePng } from '../openai/png-encode';
import { postChat as post, serveHarness } from '../../test/serve-harness';
import { until } from '../../test/until';
import { serve } from './serve';

/**
 * A real Generator whose output is a pure function of the request (prompt, system, image bytes,
 * sampling), so every HTTP round trip can be checked exactly. It can fail its first calls and
 * counts how many generate() calls run at once.
 */
class EchoGenerator implements Generator {
  readonly modelId = 'echo-model';
  calls = 0;
  inFlight = 0;
  peakInFlight = 0;
  batchSizes: number[] = [];
  constructor(private readonly behaviour: { failFirst?: number; delayMs?: number } = {}) {}

  async generate(requests: GenerationRequest[]): Promise<GenerationResult[]> {
    this.calls++;
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    this.batchSizes.push(requests.length);
    try {
      if (this.behaviour.delayMs) await new Promise((r) => setTimeout(r, this.behaviour.delayMs));
      if (this.calls <= (this.behaviour.failFirst ?? 0)) throw new Error(`injected failure ${this.calls}`);
      return await Promise.all(requests.map((r) => echo(r)));
    } finally {
      this.inFlight--;
    }
  }
  async close() {
    // holds no resources
  }
}

async function imageDigest(request: GenerationRequest): Promise<string> {
  const image = request.image;
  if (!image) return 'none';
  const bytes = image.kind === 'path' ? await readFile(image.path) : image.kind === 'rgb' ? encodePng(image.width, image.height, image.data) : Buffer.alloc(0);
  return createHash('sha256').update(bytes).digest('hex').slice(0, 12);
}

async function echo(request: GenerationRequest): Promise<GenerationResult> {
  const s = request.sampling;
  const base = `${request.system ?? '-'}|${request.prompt}|${await imageDigest(request)}|t=${s.temperature}|p=${s.topP}|k=${s.topK ?? 0}|seed=${s.seed ?? '-'}`;
  const samples = Array.from({ length: request.n ?? 1 }, (_, k) => {
    const full = `#${k}|${base}`;
    const text = full.slice(0, s.maxNewTokens);
    return { text, finishReason: full.length > s.maxNewTokens ? ('length' as const) : ('stop' as const), completionTokens: text.length };
  });
  const first = samples[0]!;
  return {
    id: request.id,
    text: first.text,
    finishReason: first.finishReason,
    promptTokens: request.prompt.length,
    completionTokens: samples.reduce((t, x) => t + x.completionTokens, 0),
    latencyMs: 0,
    ...(samples.length > 1 ? { samples } : {}),
  };
}

const req = (id: string, extra: Partial<GenerationRequest> = {}): GenerationRequest => ({
  id,
  prompt: `What is shown in ${id}?`,
  sampling: { ...DEFAULT_SAMPLING, maxNewTokens: 200, seed: 3 },
  ...extra,
});

describe('serve', () => {
  const { start, dir } = serveHarness('mllm-serve-spec-');

  it('binds to loopback and round-trips the HTTP backend exactly (text, image, system, n, usage)', async () => {
    const generator = new EchoGenerator();
    const handle = await start(generator, { maxBatch: 1 });
    expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new OpenAICompatibleGenerator({ baseUrl: `${handle.url}/v1`, model: 'echo-model' });
    const rgb = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 37) % 256);
    const requests = [
      req('plain'),
      req('with-image', { image: { kind: 'rgb', width: 4, height: 3, data: rgb }, system: 'You are a careful grader.' }),
      req('two-samples', { n: 2, sampling: { temperature: 1, topP: 0.5, topK: 4, maxNewTokens: 30, seed: 77 } }),
    ];
    const results = await client.generate(requests);
    const expected = await Promise.all(requests.map(echo));
    expect(results.map(({ latencyMs: _l, seed: _s, ...r }) => r)).toEqual(expected.map(({ latencyMs: _l, ...r }) => r));
    expect(results[1]!.text).toContain(createHash('sha256').update(encodePng(4, 3, rgb)).digest('hex').slice(0, 12));
    expect(results[2]!.finishReason).toBe('length');
    expect(results[2]!.samples!.map((x) => x.text.slice(0, 3))).toEqual(['#0|', '#1|']);
    expect(client.usage.completionTokens).toBe(expected.reduce((t, r) => t + r.completionTokens, 0));
    // Decoded data-URL images are temp files, removed once their request has run.
    expect(await readdir(dir())).toEqual([]);
    const models = await (await fetch(`${handle.url}/v1/models`)).json();
    expect(models).toEqual({ object: 'list', data: [{ id: 'echo-model', object: 'model', created: 0, owned_by: 'smart' }] });
  });

  it('recovers through client retries when the generator fails its first calls (500s)', async () => {
    const generator = new EchoGenerator({ failFirst: 2 });
    const handle = await start(generator);
    const client = new OpenAICompatibleGenerator({ baseUrl: `${handle.url}/v1`, model: 'echo-model', backoff: { baseMs: 1, maxMs: 5 } });
    const [result] = await client.generate([req('flaky')]);
    expect(result!.text).toBe((await echo(req('flaky'))).text);
    expect(generator.calls).toBe(3);
    expect(client.usage.retries).toBe(2);

    const failing = new EchoGenerator({ failFirst: 10 });
    const handle2 = await start(failing);
    const strict = new OpenAICompatibleGenerator({ baseUrl: `${handle2.url}/v1`, model: 'echo-model', maxRetries: 1, backoff: { baseMs: 1, maxMs: 1 } });
    const err = await strict.generate([req('doomed')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpGenerationError);
    expect(err).toMatchObject({ requestId: 'doomed', status: 500, attempts: 2 });
    expect((err as Error).message).toMatch(/injected failure 2/);
  });

  it('holds the client concurrency limit (server-side count of requests in flight)', async () => {
    const generator = new EchoGenerator({ delayMs: 15 });
    const handle = await start(generator, { maxConcurrent: 16, maxBatch: 1 });
    const client = new OpenAICompatibleGenerator({ baseUrl: `${handle.url}/v1`, model: 'echo-model', concurrency: 3 });
    const results = await client.generate(Array.from({ length: 12 }, (_, i) => req(`c${i}`)));
    expect(results.map((r) => r.id)).toEqual(Array.from({ length: 12 }, (_, i) => `c${i}`));
    expect(generator.peakInFlight).toBe(3);
  });

  it('holds its own concurrency limit and batches queued requests', async () => {
    const generator = new EchoGenerator({ delayMs: 15 });
    const handle = await start(generator, { maxConcurrent: 2, maxBatch: 3 });
    const client = new OpenAICompatibleGenerator({ baseUrl: `${handle.url}/v1`, model: 'echo-model', concurrency: 10 });
    const requests = Array.from({ length: 10 }, (_, i) => req(`b${i}`));
    const results = await client.generate(requests);
    expect(results.map((r) => r.text)).toEqual((await Promise.all(requests.map(echo))).map((r) => r.text));
    expect(generator.peakInFlight).toBe(2);
    expect(Math.max(...generator.batchSizes)).toBe(3);
    expect(generator.batchSizes.reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('answers malformed requests with OpenAI-style 4xx errors and keeps serving', async () => {
    const handle = await start(new EchoGenerator(), { maxBodyBytes: 4096 });
    const user = { role: 'user', content: 'hi' };
    const cases: [string, Promise<Response>, number, string | null][] = [
      ['bad json', post(handle, '{"messages": ['), 400, null],
      ['no messages', post(handle, {}), 400, 'messages'],
      ['empty messages', post(handle, { messages: [] }), 400, 'messages'],
      ['bad type', post(handle, { messages: [user], temperature: 'hot' }), 400, 'temperature'],
      ['bad role', post(handle, { messages: [{ role: 'robot', content: 'x' }] }), 400, 'messages.0.role'],
      ['top_p out of range', post(handle, { messages: [user], top_p: 0 }), 400, 'top_p'],
      ['assistant turn', post(handle, { messages: [user, { role: 'assistant', content: 'x' }] }), 400, 'messages.1'],
      ['streaming', post(handle, { messages: [user], stream: true }), 400, 'stream'],
      ['remote image', post(handle, { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://example.com/a.png' } }] }] }), 400, 'image_url'],
      ['local path disabled', post(handle, { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: '/etc/passwd' } }] }] }), 400, 'image_url'],
      ['not an image', post(handle, { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,aGVsbG8=' } }] }] }), 400, 'image_url'],
      ['wrong model', post(handle, { model: 'gpt-9', messages: [user] }), 404, 'model'],
      ['too large', post(handle, { messages: [{ role: 'user', content: 'x'.repeat(5000) }] }), 413, null],
      ['unknown route', fetch(`${handle.url}/v1/embeddings`, { method: 'POST', body: '{}' }), 404, null],
      ['wrong method', fetch(`${handle.url}/v1/chat/completions`), 405, null],
    ];
    for (const [name, pending, code, param] of cases) {
      const res = await pending;
      const body = (await res.json()) as { error: { message: string; type: string; param: string | null } };
      expect({ name, status: res.status, param: body.error.param, type: typeof body.error.message }).toEqual({ name, status: code, param, type: 'string' });
      expect(body.error.type).toBe('invalid_request_error');
    }
    expect((await fetch(`${handle.url}/v1/chat/completions`)).headers.get('allow')).toBe('POST');
    const health = await fetch(`${handle.url}/health`);
    expect(health.status).toBe(200);
    const ok = await post(handle, { messages: [user], seed: 1 });
    expect(((await ok.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe('#0|-|hi|none|t=0.7|p=0.9|k=0|seed=1');
  });

  it('refuses requests beyond the queue limit with 429', async () => {
    // The first request holds the only slot far longer than the three take to arrive on a loaded machine.
    const handle = await start(new EchoGenerator({ delayMs: 1000 }), { maxConcurrent: 1, maxBatch: 1, maxQueue: 1 });
    const body = { messages: [{ role: 'user', content: 'q' }] };
    const statuses = await Promise.all([post(handle, body), post(handle, body), post(handle, body)].map(async (p) => (await p).status));
    expect(statuses.sort()).toEqual([200, 200, 429]);
  });

  it('closes gracefully: running requests finish, new connections are refused', async () => {
    const generator = new EchoGenerator({ delayMs: 300 });
    const handle = await serve({ generator, tmpDir: dir() });
    const running = post(handle, { messages: [{ role: 'user', content: 'last' }] });
    await until(() => generator.inFlight === 1, 'the request running');
    await handle.close();
    expect((await running).status).toBe(200);
    await expect(fetch(`${handle.url}/health`)).rejects.toThrow();
  });
});

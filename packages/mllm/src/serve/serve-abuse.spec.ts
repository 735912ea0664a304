import { request as httpRequest } from 'node:http';
import { readdir } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { deflateSync } from 'node:zlib';
import type { GenerationRequest, GenerationResult, Generator } from '@smart/types';
import { GenerationAbortedError } from '../errors';
import { encodePng } from '../openai/png-encode';
import { postChat as post, serveHarness } from '../../test/serve-harness';
import { until } from '../../test/until';

/**
 * A Generator that answers at once, except for prompts starting with `hang`, which run until their
 * AbortSignal fires (then it records the abort): the server's cancellation is what ends them.
 */
class ProbeGenerator implements Generator {
  readonly modelId = 'probe';
  readonly started: string[] = [];
  readonly aborted: string[] = [];

  async generate(requests: GenerationRequest[], options: { signal?: AbortSignal } = {}): Promise<GenerationResult[]> {
    this.started.push(...requests.map((r) => r.id));
    if (requests.some((r) => r.prompt.startsWith('hang'))) {
      await new Promise<never>((_, reject) =>
        options.signal!.addEventListener('abort', () => {
          this.aborted.push(...requests.map((r) => r.id));
          reject(new GenerationAbortedError(options.signal!.reason));
        }),
      );
    }
    return requests.map((r) => ({ id: r.id, text: `echo ${r.prompt.slice(0, 40)}`, finishReason: 'stop', promptTokens: r.prompt.length, completionTokens: 2, latencyMs: 0 }));
  }
  async close() {
    // holds nothing
  }
}

/** A PNG whose header declares width × height but whose data is a few bytes: decoding it would allocate width·height·3. */
function pngBomb(width: number, height: number): Buffer {
  const png = encodePng(1, 1, Uint8Array.of(1, 2, 3));
  const ihdr = Buffer.from(png.subarray(0, 33));
  ihdr.writeUInt32BE(width, 16);
  ihdr.writeUInt32BE(height, 20);
  return Buffer.concat([ihdr, deflateSync(Buffer.alloc(16))]);
}

/** POSTs a raw body over node:http; resolves with the status, or with the socket error when the server cut the upload off. */
function rawPost(url: string, body: Buffer, headers: Record<string, string>): Promise<{ status?: number; error?: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = httpRequest(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-length': String(body.length), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, ms: performance.now() - t0 }));
    });
    req.on('error', (err) => resolve({ error: err.message, ms: performance.now() - t0 }));
    req.end(body);
  });
}

describe('serve under abuse', () => {
  const { start, dir } = serveHarness('mllm-serve-abuse-');
  const user = (content: unknown) => ({ messages: [{ role: 'user', content }] });
  const errorOf = async (res: Response) => ((await res.json()) as { error: { message: string; type: string; param: string | null } }).error;

  it('refuses oversized bodies, huge prompts, huge max_tokens and decompression bombs quickly, keeps serving, and keeps its memory', async () => {
    const generator = new ProbeGenerator();
    const handle = await start(generator, { maxBodyBytes: 1 << 20, maxPromptChars: 100_000, maxTokens: 2048, maxImagePixels: 4096 * 4096 });
    const huge = Buffer.alloc(30 << 20, 0x61); // the 30 MB prompt
    const rssBefore = process.memoryUsage().rss;
    for (let round = 0; round < 3; round++) {
      // 30 MB body: refused from its content-length before it is read (413, or the upload cut off).
      const big = await rawPost(handle.url, huge, { 'content-type': 'application/json' });
      if (big.status !== undefined) expect(big.status).toBe(413);
      else expect(big.error).toMatch(/EPIPE|ECONNRESET|socket hang up/);
      expect(big.ms).toBeLessThan(5000);
      // A prompt under the body limit but over the prompt limit.
      const long = await post(handle, user('x'.repeat(500_000)));
      expect(long.status).toBe(400);
      expect((await errorOf(long)).param).toBe('messages');
    }
    const maxTokens = await post(handle, { ...user('hi'), max_tokens: 1_000_000 });
    expect(maxTokens.status).toBe(400);
    expect(await errorOf(maxTokens)).toMatchObject({ param: 'max_tokens', type: 'invalid_request_error' });
    const bomb = `data:image/png;base64,${pngBomb(100_000, 100_000).toString('base64')}`;
    const refused = await post(handle, user([{ type: 'image_url', image_url: { url: bomb } }, { type: 'text', text: 'what is it?' }]));
    expect(refused.status).toBe(400);
    expect((await errorOf(refused)).message).toMatch(/100000×100000/);
    expect(await readdir(dir())).toEqual([]); // refused before it was written anywhere
    // None of the abusive requests reached the generator; a normal one still does.
    expect(generator.started).toEqual([]);
    const ok = await post(handle, user('still there?'));
    expect(ok.status).toBe(200);
    expect(generator.started).toHaveLength(1);
    // Stated bound: the abuse above (90 MB of uploads, 1.5 MB of prompts) grows RSS by under 256 MiB.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 << 20);
  });

  it('answers malformed JSON and wrong content types with 400 and an OpenAI error body', async () => {
    const handle = await start(new ProbeGenerator());
    const cases: [string, Promise<Response>][] = [
      ['truncated json', post(handle, '{"messages": [')],
      ['not json', post(handle, 'hello')],
      ['text/plain', post(handle, JSON.stringify(user('hi')), { headers: { 'content-type': 'text/plain' } })],
      ['form', post(handle, 'a=1', { headers: { 'content-type': 'application/x-www-form-urlencoded' } })],
    ];
    for (const [name, pending] of cases) {
      const res = await pending;
      expect({ name, status: res.status }).toEqual({ name, status: 400 });
      expect((await errorOf(res)).type).toBe('invalid_request_error');
    }
    expect((await post(handle, user('hi'), { headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(200);
  });

  it('refuses requests beyond the queue with 429 and Retry-After, and serves them once there is room', async () => {
    const generator = new ProbeGenerator();
    const handle = await start(generator, { maxConcurrent: 1, maxQueue: 2, requestTimeoutMs: 3000, retryAfterSeconds: 2 });
    const hanging = post(handle, user('hang: holds the only slot'));
    await until(() => generator.started.length === 1, 'the hanging request running');
    const queued = [post(handle, user('q1')), post(handle, user('q2'))];
    await until(async () => ((await fetch(`${handle.url}/health`).then((r) => r.json())) as { waiting: number }).waiting === 2, 'two requests queued');
    const beyond = await post(handle, user('q3'));
    expect(beyond.status).toBe(429);
    expect(beyond.headers.get('retry-after')).toBe('2');
    expect((await errorOf(beyond)).type).toBe('rate_limit_error');
    expect((await hanging).status).toBe(504);
    expect((await Promise.all(queued)).map((r) => r.status)).toEqual([200, 200]);
  });

  it('times a request out with 504 and cancels its work, while other clients are served', async () => {
    const generator = new ProbeGenerator();
    // The timeout is long enough that a loaded machine still answers the quick requests inside it.
    const handle = await start(generator, { maxConcurrent: 2, requestTimeoutMs: 2500 });
    const t0 = performance.now();
    const slow = post(handle, user('hang: like max_tokens 1 000 000'), { headers: { 'x-request-id': 'slow' } });
    await until(() => generator.started.includes('slow'), 'the slow request running');
    // Others keep getting answers while the slow one runs, each well inside the slow one's timeout.
    for (let i = 0; i < 5; i++) {
      const res = await post(handle, user(`quick ${i}`));
      expect(res.status).toBe(200);
      expect(performance.now() - t0).toBeLessThan(2500);
    }
    expect(generator.aborted).toEqual([]);
    const res = await slow;
    expect(res.status).toBe(504);
    expect((await errorOf(res)).type).toBe('timeout_error');
    // Cut off at its timeout, not left running.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2500 - 50);
    expect(performance.now() - t0).toBeLessThan(2500 + 5000);
    expect(generator.aborted).toEqual(['slow']);
  });

  it('cancels the work of a client that disconnects', async () => {
    const generator = new ProbeGenerator();
    const handle = await start(generator, { requestTimeoutMs: 60_000 });
    const controller = new AbortController();
    const gone = post(handle, user('hang until the client leaves'), { headers: { 'x-request-id': 'leaver' }, signal: controller.signal }).catch((e: unknown) => e);
    await until(() => generator.started.length > 0, 'the request running');
    expect(generator.started).toEqual(['leaver']);
    controller.abort();
    await gone;
    await until(() => generator.aborted.length > 0, 'its work cancelled');
    expect(generator.aborted).toEqual(['leaver']);
    expect((await fetch(`${handle.url}/health`).then((r) => r.json())) as object).toMatchObject({ waiting: 0, active: 0 });
  });
});

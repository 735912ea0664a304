import { DEFAULT_SAMPLING, type GenerationRequest } from '@smart/types';
import { GenerationAbortedError, HttpGenerationError, InvalidRequestError, ResponseValidationError } from '../errors';
import { OpenAICompatibleGenerator, type OpenAICompatibleGeneratorOptions } from './openai-compatible-generator';
import { encodePng } from './png-encode';

interface Call {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** A scripted in-process transport: each call gets the next scripted reply (a Response or a thrown error). */
function scriptedFetch(replies: (Response | Error | ((call: Call, signal?: AbortSignal) => Promise<Response>))[]) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const call = { url, headers: init.headers as Record<string, string>, body: JSON.parse(String(init.body)) };
    calls.push(call);
    const reply = replies.shift();
    if (!reply) throw new Error('no scripted reply left');
    if (reply instanceof Error) throw reply;
    return typeof reply === 'function' ? reply(call, init.signal ?? undefined) : reply;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const completion = (content: string, finish = 'stop', usage = { prompt_tokens: 7, completion_tokens: 3 }) =>
  new Response(JSON.stringify({ id: 'x', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }], usage }), { status: 200 });
const status = (code: number, headers: Record<string, string> = {}) => new Response(JSON.stringify({ error: { message: `status ${code}` } }), { status: code, headers });

const request = (id: string, extra: Partial<GenerationRequest> = {}): GenerationRequest => ({ id, prompt: `prompt ${id}`, sampling: { ...DEFAULT_SAMPLING, seed: 5 }, ...extra });

function client(fetch: typeof globalThis.fetch, options: Partial<OpenAICompatibleGeneratorOptions> = {}) {
  const sleeps: number[] = [];
  const generator = new OpenAICompatibleGenerator({
    baseUrl: 'http://127.0.0.1:9/v1/',
    model: 'tiny',
    fetch,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    backoff: { baseMs: 100, maxMs: 1000 },
    ...options,
  });
  return { generator, sleeps };
}

describe('OpenAICompatibleGenerator', () => {
  it('maps a request to OpenAI fields, with the image as a PNG data URL', async () => {
    const { fetch, calls } = scriptedFetch([completion('A is right', 'length')]);
    const { generator } = client(fetch, { apiKey: 'k-1', extraBody: { repetition_penalty: 1.1 } });
    const rgb = Uint8Array.from([9, 8, 7]);
    const [result] = await generator.generate([
      request('s1:positive', { system: 'be brief', image: { kind: 'rgb', width: 1, height: 1, data: rgb }, sampling: { temperature: 0.7, topP: 0.9, topK: 20, maxNewTokens: 64, seed: 11 } }),
    ]);
    expect(calls[0]!.url).toBe('http://127.0.0.1:9/v1/chat/completions');
    expect(calls[0]!.headers.authorization).toBe('Bearer k-1');
    expect(calls[0]!.headers['x-request-id']).toBe('s1:positive');
    expect(calls[0]!.body).toEqual({
      repetition_penalty: 1.1,
      model: 'tiny',
      messages: [
        { role: 'system', content: 'be brief' },
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: `data:image/png;base64,${encodePng(1, 1, rgb).toString('base64')}` } },
            { type: 'text', text: 'prompt s1:positive' },
          ],
        },
      ],
      temperature: 0.7,
      top_p: 0.9,
      max_tokens: 64,
      seed: 11,
      top_k: 20,
    });
    expect(result).toMatchObject({ id: 's1:positive', text: 'A is right', finishReason: 'length', promptTokens: 7, completionTokens: 3, seed: 11 });
    expect(generator.usage).toEqual({ requests: 1, promptTokens: 7, completionTokens: 3, retries: 0, failures: 0 });
  });

  it('sends every image of a multi-image request, in order, before the text', async () => {
    const { fetch, calls } = scriptedFetch([completion('ok')]);
    const files: Record<string, Uint8Array> = { '/a.png': encodePng(1, 1, Uint8Array.from([1, 2, 3])), '/b.jpg': Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]) };
    const { generator } = client(fetch, { readFile: async (p: string) => files[p]! });
    const rgb = Uint8Array.from([4, 5, 6]);
    await generator.generate([request('mmcode-1', { images: [{ kind: 'path', path: '/a.png' }, { kind: 'rgb', width: 1, height: 1, data: rgb }, { kind: 'path', path: '/b.jpg' }] })]);
    const content = (calls[0]!.body['messages'] as { content: unknown[] }[])[0]!.content;
    expect(content).toEqual([
      { type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from(files['/a.png']!).toString('base64')}` } },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${encodePng(1, 1, rgb).toString('base64')}` } },
      { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${Buffer.from(files['/b.jpg']!).toString('base64')}` } },
      { type: 'text', text: 'prompt mmcode-1' },
    ]);
    const bad = await generator.generate([request('t2', { images: [{ kind: 'path', path: '/a.png' }, { kind: 'tensor', shape: [3, 1, 1], data: new Float32Array(3) }] })]).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidRequestError);
    expect((bad as InvalidRequestError).reason).toMatch(/^images\[1\]: tensor images/);
  });

  it('retries 429/5xx/network errors with growing jittered backoff, honouring Retry-After', async () => {
    const { fetch, calls } = scriptedFetch([status(503), new TypeError('fetch failed'), status(429, { 'retry-after': '0.35' }), completion('ok')]);
    const { generator, sleeps } = client(fetch);
    const [result] = await generator.generate([request('r')]);
    expect(result!.text).toBe('ok');
    expect(calls).toHaveLength(4);
    // random() = 0.5 → half of 100·2^k; the 429 asked for 350 ms, more than its 200 ms draw.
    expect(sleeps).toEqual([50, 100, 350]);
    expect(generator.usage.retries).toBe(3);
  });

  it('gives up after maxRetries with an error naming the request, status and attempts', async () => {
    const { fetch } = scriptedFetch([status(500), status(502), status(500)]);
    const { generator } = client(fetch, { maxRetries: 2 });
    const err = await generator.generate([request('doomed')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpGenerationError);
    expect(err).toMatchObject({ requestId: 'doomed', status: 500, attempts: 3 });
    expect((err as Error).message).toMatch(/status 500/);
  });

  it('does not retry other 4xx statuses', async () => {
    const { fetch, calls } = scriptedFetch([status(400), completion('never')]);
    const { generator } = client(fetch);
    await expect(generator.generate([request('bad')])).rejects.toMatchObject({ requestId: 'bad', status: 400, attempts: 1 });
    expect(calls).toHaveLength(1);
  });

  it('times out an attempt through its AbortSignal and retries it', async () => {
    const hang = (_call: Call, signal?: AbortSignal) => new Promise<Response>((_, reject) => signal!.addEventListener('abort', () => reject(new Error('aborted'))));
    const { fetch, calls } = scriptedFetch([hang, completion('late but fine')]);
    const { generator } = client(fetch, { timeoutMs: 20 });
    const [result] = await generator.generate([request('slow')]);
    expect(result!.text).toBe('late but fine');
    expect(calls).toHaveLength(2);
  });

  it('validates responses and names the request in the error', async () => {
    const { fetch } = scriptedFetch([new Response(JSON.stringify({ choices: [] }), { status: 200 })]);
    const err = await client(fetch).generator.generate([request('q7')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err).toMatchObject({ requestId: 'q7' });
    expect((err as ResponseValidationError).reason).toMatch(/choices/);
  });

  it('can report failures as error results instead of throwing', async () => {
    const { fetch } = scriptedFetch([status(404), completion('fine')]);
    const { generator } = client(fetch, { onRequestError: 'result', concurrency: 1 });
    const results = await generator.generate([request('a'), request('b')]);
    expect(results.map((r) => r.finishReason)).toEqual(['error', 'stop']);
    expect(results[0]!.error).toMatch(/HTTP 404/);
    expect(generator.usage.failures).toBe(1);
  });

  it('maps n samples and content_filter', async () => {
    const body = {
      choices: [
        { index: 1, message: { content: 'second' }, finish_reason: 'length' },
        { index: 0, message: { content: 'first' }, finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: 4, completion_tokens: 9 },
    };
    const { fetch, calls } = scriptedFetch([new Response(JSON.stringify(body)), completion('', 'content_filter')]);
    const { generator } = client(fetch, { concurrency: 1, onRequestError: 'result' });
    const [multi, filtered] = await generator.generate([request('m', { n: 2 }), request('f')]);
    expect(calls[0]!.body.n).toBe(2);
    expect(multi!.samples?.map((s) => s.text)).toEqual(['first', 'second']);
    expect(multi!.completionTokens).toBe(9);
    expect(filtered!.finishReason).toBe('error');
  });

  it('rejects with GenerationAbortedError when the caller aborts, and refuses tensor images up front', async () => {
    const controller = new AbortController();
    const { fetch } = scriptedFetch([
      async () => {
        controller.abort();
        throw new Error('aborted');
      },
    ]);
    await expect(client(fetch).generator.generate([request('a')], { signal: controller.signal })).rejects.toBeInstanceOf(GenerationAbortedError);
    const { generator } = client(scriptedFetch([]).fetch);
    await expect(generator.generate([request('t', { image: { kind: 'tensor', shape: [3, 1, 1], data: new Float32Array(3) } })])).rejects.toBeInstanceOf(InvalidRequestError);
  });
});

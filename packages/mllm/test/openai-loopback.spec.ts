import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GenerationRequest } from '@smart/types';
import { HttpGenerationError, OpenAICompatibleGenerator, ResponseValidationError, type OpenAICompatibleGeneratorOptions } from '../src/index';
import { TestChatServer, userText } from './test-chat-server';

// The HTTP client over a real loopback socket: the behaviour judges rely on (evaluators' judges call
// this generator through the Generator interface and no longer carry an HTTP client of their own).

const judgeRequest = (id: string, prompt = `prompt ${id}`): GenerationRequest => ({ id, prompt, sampling: { temperature: 0, topP: 1, maxNewTokens: 3, seed: 7 } });

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

describe('OpenAICompatibleGenerator against a loopback server', () => {
  const server = TestChatServer.forSuite((call) => `echo:${userText(call)}`);
  beforeEach(async () => {
    await server.idle();
    server.reset();
  });

  const client = (options: Partial<OpenAICompatibleGeneratorOptions> = {}) => {
    const sleeps: number[] = [];
    const generator = new OpenAICompatibleGenerator({
      baseUrl: server.baseUrl,
      model: 'gpt-test',
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0.5,
      backoff: { baseMs: 100, maxMs: 1000 },
      ...options,
    });
    return { generator, sleeps };
  };

  it('sends model, system and user messages, sampling, seed and n, and returns the content', async () => {
    const { generator } = client({ apiKey: 'k' });
    const [one, many] = await generator.generate([{ ...judgeRequest('a', 'hi'), system: 'sys' }, { ...judgeRequest('b', 'again'), n: 2 }]);
    expect(one).toMatchObject({ id: 'a', text: 'echo:hi', finishReason: 'stop', seed: 7 });
    expect(many!.samples).toHaveLength(1); // the scripted server returns one choice; the request asked for two
    expect(server.calls[0]).toEqual({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      ],
      temperature: 0,
      top_p: 1,
      max_tokens: 3,
      seed: 7,
    });
    expect(server.calls[1]!.n).toBe(2);
  });

  it('retries 503 and 429 (honouring Retry-After), then succeeds', async () => {
    server.failures.push({ status: 503 }, { status: 429, headers: { 'retry-after': '0.3' } });
    const { generator, sleeps } = client();
    const [result] = await generator.generate([judgeRequest('r')]);
    expect(result!.text).toBe('echo:prompt r');
    expect(server.calls).toHaveLength(3);
    expect(sleeps).toEqual([50, 300]);
    expect(generator.usage).toMatchObject({ requests: 1, retries: 2, failures: 0 });
  });

  it('gives up after maxRetries with the attempts and the last status', async () => {
    server.failures.push({ status: 503 }, { status: 500 }, { status: 503 }, { status: 503 });
    const err = await client({ maxRetries: 2 }).generator.generate([judgeRequest('doomed')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpGenerationError);
    expect(err).toMatchObject({ requestId: 'doomed', attempts: 3, status: 503 });
    expect(server.calls).toHaveLength(3);
  });

  it('does not retry a 400, nor a 200 whose body is not a chat completion', async () => {
    server.failures.push({ status: 400 });
    await expect(client().generator.generate([judgeRequest('bad')])).rejects.toMatchObject({ status: 400, attempts: 1 });
    expect(server.calls).toHaveLength(1);
    server.failures.push({ status: 200, body: '{"choices":[]}' });
    await expect(client().generator.generate([judgeRequest('empty')])).rejects.toBeInstanceOf(ResponseValidationError);
    expect(server.calls).toHaveLength(2);
  });

  it('retries a refused connection and reports it as a network error', async () => {
    const { generator, sleeps } = client({ baseUrl: `http://127.0.0.1:${await closedPort()}/v1`, maxRetries: 1 });
    const err = await generator.generate([judgeRequest('dead')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpGenerationError);
    expect(err).toMatchObject({ attempts: 2, status: undefined });
    expect((err as Error).message).toMatch(/network error/);
    expect(sleeps).toHaveLength(1);
  });

  it('times out a hung request, retries it, and reports the timeout', async () => {
    server.delayMs = 300;
    const err = await client({ timeoutMs: 40, maxRetries: 1 }).generator.generate([judgeRequest('slow')]).catch((e: unknown) => e);
    expect(err).toMatchObject({ attempts: 2 });
    expect((err as Error).message).toMatch(/timed out after 40 ms/);
    expect(server.calls).toHaveLength(2);
  });

  it('keeps at most `concurrency` requests in flight, also across concurrent generate() calls', async () => {
    server.delayMs = 150; // long enough that two requests overlap on a loaded machine
    const { generator } = client({ concurrency: 2 });
    const batch = await generator.generate([1, 2, 3, 4, 5].map((i) => judgeRequest(`b${i}`)));
    expect(batch.map((r) => r.text)).toEqual([1, 2, 3, 4, 5].map((i) => `echo:prompt b${i}`));
    expect(server.peakInFlight).toBe(2);
    // A judge sends one request per generate() call, many calls at once.
    server.peakInFlight = 0;
    const single = await Promise.all([1, 2, 3, 4, 5].map((i) => generator.generate([judgeRequest(`s${i}`)])));
    expect(single.map(([r]) => r!.text)).toEqual([1, 2, 3, 4, 5].map((i) => `echo:prompt s${i}`));
    expect(server.peakInFlight).toBe(2);
  });
});

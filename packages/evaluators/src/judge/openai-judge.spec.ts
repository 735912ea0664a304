import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JudgeError } from '../errors';
import { CachedJudge } from './cached-judge';
import { JsonFileJudgeCache } from './json-file-judge-cache';
import { MemoryJudgeCache } from './memory-judge-cache';
import { OpenAiJudge } from './openai-judge';
import { TestChatServer } from './test-chat-server';

const noSleep = (): Promise<void> => Promise.resolve();

describe('OpenAiJudge against a loopback server', () => {
  const server = TestChatServer.forSuite((call) => `echo:${call.messages.at(-1)!.content}`);
  beforeEach(() => {
    server.calls.length = 0;
    server.failNext = 0;
    server.garbageNext = 0;
  });

  it('sends model, messages, temperature and max_tokens, and returns the content', async () => {
    const judge = new OpenAiJudge({ baseUrl: server.baseUrl, model: 'gpt-test', apiKey: 'k', sleep: noSleep });
    await expect(judge.complete({ system: 'sys', prompt: 'hi', temperature: 0, maxTokens: 3 })).resolves.toBe('echo:hi');
    expect(server.calls).toEqual([
      { model: 'gpt-test', messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'hi' }], temperature: 0, max_tokens: 3 },
    ]);
  });

  it('retries 5xx and malformed bodies with doubling backoff, then succeeds', async () => {
    const delays: number[] = [];
    const judge = new OpenAiJudge({ baseUrl: server.baseUrl, model: 'm', backoffMs: 10, sleep: async (ms) => void delays.push(ms) });
    server.failNext = 2;
    server.garbageNext = 1;
    await expect(judge.complete({ prompt: 'x', temperature: 0, maxTokens: 5 })).resolves.toBe('echo:x');
    expect(server.calls).toHaveLength(4);
    expect(delays).toEqual([10, 20, 40]);
  });

  it('gives up after maxRetries with a JudgeError carrying the status', async () => {
    const judge = new OpenAiJudge({ baseUrl: server.baseUrl, model: 'm', maxRetries: 2, sleep: noSleep });
    server.failNext = 10;
    const err = await judge.complete({ prompt: 'x', temperature: 0, maxTokens: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JudgeError);
    expect((err as JudgeError).attempts).toBe(3);
    expect((err as JudgeError).status).toBe(503);
    expect(server.calls).toHaveLength(3);
  });

  it('does not retry a 400', async () => {
    const judge = new OpenAiJudge({ baseUrl: server.baseUrl, model: 'm', sleep: noSleep });
    server.failNext = 1;
    server.failStatus = 400;
    await expect(judge.complete({ prompt: 'x', temperature: 0, maxTokens: 5 })).rejects.toThrow(/HTTP 400/);
    server.failStatus = 503;
    expect(server.calls).toHaveLength(1);
  });

  it('retries network errors (connection refused) and times out hung requests', async () => {
    const dead = new OpenAiJudge({ baseUrl: 'http://127.0.0.1:1/v1', model: 'm', maxRetries: 1, sleep: noSleep });
    await expect(dead.complete({ prompt: 'x', temperature: 0, maxTokens: 5 })).rejects.toThrow(/network error/);
    const hanging: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => init!.signal!.addEventListener('abort', () => reject(new Error('aborted'))));
    const slow = new OpenAiJudge({ baseUrl: server.baseUrl, model: 'm', fetch: hanging, timeoutMs: 20, maxRetries: 1, sleep: noSleep });
    await expect(slow.complete({ prompt: 'x', temperature: 0, maxTokens: 5 })).rejects.toThrow(/timed out after 20 ms/);
    expect(slow.attempts).toBe(2);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const counting: typeof fetch = async (url, init) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      try {
        return await fetch(url, init);
      } finally {
        inFlight--;
      }
    };
    const judge = new OpenAiJudge({ baseUrl: server.baseUrl, model: 'm', fetch: counting, concurrency: 2 });
    const out = await Promise.all([1, 2, 3, 4, 5].map((i) => judge.complete({ prompt: `p${i}`, temperature: 0, maxTokens: 5 })));
    expect(out).toEqual(['echo:p1', 'echo:p2', 'echo:p3', 'echo:p4', 'echo:p5']);
    expect(peak).toBe(2);
  });

  it('serves repeated calls from the cache, and a JSON-file cache survives a new process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'judge-cache-'));
    try {
      const file = join(dir, 'cache.json');
      const first = new CachedJudge(new OpenAiJudge({ baseUrl: server.baseUrl, model: 'm' }), new JsonFileJudgeCache(file));
      await first.complete({ prompt: 'a', temperature: 0, maxTokens: 5 });
      await first.complete({ prompt: 'a', temperature: 0, maxTokens: 5 });
      await first.complete({ prompt: 'a', temperature: 0.5, maxTokens: 5 });
      expect(first.stats).toEqual({ hits: 1, misses: 2 });
      expect(server.calls).toHaveLength(2);
      expect(Object.keys(JSON.parse(await readFile(file, 'utf8')) as object)).toHaveLength(2);
      const second = new CachedJudge(new OpenAiJudge({ baseUrl: server.baseUrl, model: 'm' }), new JsonFileJudgeCache(file));
      await expect(second.complete({ prompt: 'a', temperature: 0.5, maxTokens: 5 })).resolves.toBe('echo:a');
      expect(server.calls).toHaveLength(2);
      // A different judge model never reuses another model's answers.
      const other = new CachedJudge(new OpenAiJudge({ baseUrl: server.baseUrl, model: 'other' }), new MemoryJudgeCache());
      await other.complete({ prompt: 'a', temperature: 0, maxTokens: 5 });
      expect(server.calls).toHaveLength(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

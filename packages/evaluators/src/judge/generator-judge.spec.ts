import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryJudgeCache } from '../../test/memory-judge-cache';
import { TableGenerator, transportError } from '../../test/table-generator';
import { JudgeCacheError, JudgeError } from '../errors';
import { GeneratorJudge } from './generator-judge';
import { judgeCacheKey, type JudgeCacheKeyInput } from './judge-cache-key';

const echo = (): TableGenerator =>
  new TableGenerator('gpt-test', (r, k) => {
    if (r.prompt.includes('FAIL')) throw transportError('request "judge-0" failed after 3 attempt(s): HTTP 503: overloaded', 503, 3);
    if (r.prompt.includes('OOM')) return { error: 'out of memory' };
    return `echo:${r.prompt}${k > 0 ? `#${k}` : ''}`;
  });

describe('GeneratorJudge', () => {
  it('sends system, prompt and sampling through one GenerationRequest and returns the text', async () => {
    const gen = echo();
    const judge = new GeneratorJudge(gen);
    expect(judge.model).toBe('gpt-test');
    await expect(judge.complete({ system: 'sys', prompt: 'hi', temperature: 0, maxTokens: 3 })).resolves.toBe('echo:hi');
    await judge.complete({ prompt: 'seeded', temperature: 0.2, topP: 0.9, maxTokens: 1024, seed: 7 });
    expect(gen.calls).toEqual([
      { id: 'judge-0', system: 'sys', prompt: 'hi', sampling: { temperature: 0, topP: 1, maxNewTokens: 3 } },
      { id: 'judge-1', prompt: 'seeded', sampling: { temperature: 0.2, topP: 0.9, maxNewTokens: 1024, seed: 7 } },
    ]);
  });

  it('asks for n completions in one request and returns them all', async () => {
    const gen = echo();
    const judge = new GeneratorJudge(gen);
    await expect(judge.completeAll({ prompt: 'p', temperature: 1, maxTokens: 5, n: 3 })).resolves.toEqual(['echo:p', 'echo:p#1', 'echo:p#2']);
    expect(gen.calls[0]!.n).toBe(3);
    await expect(judge.complete({ prompt: 'p', temperature: 1, maxTokens: 5, n: 3 })).resolves.toBe('echo:p');
  });

  it('turns a failed generation into JudgeError, keeping the attempts and status of the transport', async () => {
    const judge = new GeneratorJudge(echo());
    const err = await judge.complete({ prompt: 'FAIL', temperature: 0, maxTokens: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JudgeError);
    expect(err).toMatchObject({ model: 'gpt-test', attempts: 3, status: 503 });
    expect((err as Error).message).toMatch(/judge gpt-test failed after 3 attempt\(s\): .*HTTP 503/);
    await expect(judge.complete({ prompt: 'OOM', temperature: 0, maxTokens: 5 })).rejects.toThrow(/failed after 1 attempt\(s\): out of memory/);
  });

  it('serves repeated calls from the cache, across judge instances, and never caches failures', async () => {
    const gen = echo();
    const cache = new MemoryJudgeCache();
    const first = new GeneratorJudge(gen, { cache });
    await first.complete({ prompt: 'a', temperature: 0, maxTokens: 5 });
    await first.complete({ prompt: 'a', temperature: 0, maxTokens: 5 });
    await first.complete({ prompt: 'a', temperature: 0.5, maxTokens: 5 }); // MM-Vet's re-ask temperature: its own entry
    await first.complete({ prompt: 'a', temperature: 0, maxTokens: 5, replica: 1 }); // a second grading run: its own entry
    expect(first.stats).toEqual({ hits: 1, misses: 3 });
    expect(gen.calls).toHaveLength(3);
    expect(cache.size).toBe(3);
    expect([...cache.entries.values()].every((e) => e.model === 'gpt-test')).toBe(true);

    // A fresh judge over the same cache (a re-run) makes no generator call.
    const second = new GeneratorJudge(gen, { cache });
    await expect(second.complete({ prompt: 'a', temperature: 0.5, maxTokens: 5 })).resolves.toBe('echo:a');
    expect(gen.calls).toHaveLength(3);

    // A different judge model never reuses another model's answers.
    const other = new GeneratorJudge(new TableGenerator('other', () => 'other answer'), { cache });
    await expect(other.complete({ prompt: 'a', temperature: 0, maxTokens: 5 })).resolves.toBe('other answer');

    await expect(second.complete({ prompt: 'FAIL', temperature: 0, maxTokens: 5 })).rejects.toBeInstanceOf(JudgeError);
    await expect(second.complete({ prompt: 'FAIL', temperature: 0, maxTokens: 5 })).rejects.toBeInstanceOf(JudgeError);
    expect(gen.calls).toHaveLength(5);
    expect(cache.size).toBe(4);
  });

  it('returns the answer another writer stored first, so concurrent runs agree', async () => {
    const cache = new MemoryJudgeCache();
    // A cache that misses on get, as when another process writes the key between our get and put.
    const racing = { get: () => undefined, put: (key: string, completion: string, model: string) => cache.put(key, completion, model) };
    const request = { prompt: 'q', temperature: 0, maxTokens: 5 };
    await new GeneratorJudge(new TableGenerator('m', () => 'first'), { cache: racing }).complete(request);
    await expect(new GeneratorJudge(new TableGenerator('m', () => 'second'), { cache: racing }).complete(request)).resolves.toBe('first');
  });

  it('shares one generation between identical calls in flight at once', async () => {
    const gen = echo();
    const judge = new GeneratorJudge(gen, { cache: new MemoryJudgeCache() });
    const out = await Promise.all([1, 2, 3].map(() => judge.complete({ prompt: 'same', temperature: 0, maxTokens: 5 })));
    expect(out).toEqual(['echo:same', 'echo:same', 'echo:same']);
    expect(gen.calls).toHaveLength(1);
    expect(judge.stats).toEqual({ hits: 2, misses: 1 });
  });

  it('caches n completions as one entry and rejects an entry that does not decode', async () => {
    const gen = echo();
    const cache = new MemoryJudgeCache();
    const judge = new GeneratorJudge(gen, { cache });
    const request = { prompt: 'p', temperature: 1, maxTokens: 5, n: 2 };
    await judge.completeAll(request);
    await expect(judge.completeAll(request)).resolves.toEqual(['echo:p', 'echo:p#1']);
    expect(gen.calls).toHaveLength(1);
    expect([...cache.entries.values()][0]!.completion).toBe('["echo:p","echo:p#1"]');

    const corrupt = { get: () => 'not json', put: () => 'not json' };
    await expect(new GeneratorJudge(gen, { cache: corrupt }).completeAll(request)).rejects.toBeInstanceOf(JudgeCacheError);
  });

  it('keys image calls by the image content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'judge-image-'));
    try {
      const file = join(dir, 'chart.png');
      const gen = echo();
      const judge = new GeneratorJudge(gen, { cache: new MemoryJudgeCache() });
      const request = { prompt: 'describe', image: { kind: 'path' as const, path: file }, temperature: 0, maxTokens: 5 };
      await writeFile(file, 'first image bytes');
      await judge.complete(request);
      await judge.complete(request);
      expect(gen.calls).toHaveLength(1);
      expect(gen.calls[0]!.image).toEqual({ kind: 'path', path: file });
      await writeFile(file, 'other image bytes'); // same path, new content: a new call
      await judge.complete(request);
      expect(gen.calls).toHaveLength(2);
      const rgb = { kind: 'rgb' as const, width: 1, height: 1, data: Uint8Array.from([1, 2, 3]) };
      await judge.complete({ ...request, image: rgb });
      await judge.complete({ ...request, image: { ...rgb, data: Uint8Array.from([1, 2, 4]) } });
      expect(gen.calls).toHaveLength(4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('judgeCacheKey', () => {
  const base: JudgeCacheKeyInput = { model: 'gpt-4', system: 's', prompt: 'p', sampling: { temperature: 0, topP: 1, maxNewTokens: 3 } };

  it('changes with every field that changes the answer', () => {
    const variants: JudgeCacheKeyInput[] = [
      { ...base, model: 'gpt-4o' },
      { ...base, system: 't' },
      { model: base.model, prompt: base.prompt, sampling: base.sampling },
      { ...base, prompt: 'q' },
      { ...base, imageSha256: 'ab'.repeat(32) },
      { ...base, sampling: { ...base.sampling, temperature: 0.5 } },
      { ...base, sampling: { ...base.sampling, topP: 0.9 } },
      { ...base, sampling: { ...base.sampling, topK: 20 } },
      { ...base, sampling: { ...base.sampling, maxNewTokens: 4 } },
      { ...base, n: 2 },
      { ...base, sampling: { ...base.sampling, seed: 1 } },
      { ...base, replica: 1 },
    ];
    const keys = new Set([base, ...variants].map(judgeCacheKey));
    expect(keys.size).toBe(variants.length + 1);
    expect(judgeCacheKey(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('treats a default and its explicit value alike, and keeps field boundaries', () => {
    expect(judgeCacheKey({ ...base, n: 1, replica: 0, sampling: { ...base.sampling, topK: 0 } })).toBe(judgeCacheKey(base));
    expect(judgeCacheKey({ ...base, model: 'ab', prompt: 'c' })).not.toBe(judgeCacheKey({ ...base, model: 'a', prompt: 'bc' }));
  });

  it('treats a blank reply as a failed call: asked again, never cached, then JudgeError', async () => {
    // Replies by prompt and attempt: 'blank-then-ok' is empty once, 'always-blank' every time.
    const asked = new Map<string, number>();
    const gen = new TableGenerator('gpt-test', (r) => {
      const n = (asked.get(r.prompt) ?? 0) + 1;
      asked.set(r.prompt, n);
      if (r.prompt === 'blank-then-ok') return n === 1 ? ' \n' : '0.5';
      if (r.prompt === 'always-blank') return '\u3000';
      if (r.prompt === 'refuses') return "I'm sorry, I can't help with that.";
      return 'ok';
    });
    const cache = new MemoryJudgeCache();
    const judge = new GeneratorJudge(gen, { cache, replyRetries: 2 });
    await expect(judge.complete({ prompt: 'blank-then-ok', temperature: 0, maxTokens: 3 })).resolves.toBe('0.5');
    expect(asked.get('blank-then-ok')).toBe(2);
    const err = await judge.complete({ prompt: 'always-blank', temperature: 0, maxTokens: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JudgeError);
    expect(err).toMatchObject({ attempts: 3 });
    expect((err as Error).message).toMatch(/blank reply/);
    expect(asked.get('always-blank')).toBe(3);
    // A reply the request rejects is a failed call the same way.
    const reject = (reply: string): string | undefined => (reply.startsWith("I'm sorry") ? 'refusal' : undefined);
    await expect(judge.complete({ prompt: 'refuses', temperature: 0, maxTokens: 3, rejectReply: reject })).rejects.toThrow(/refusal/);
    expect(asked.get('refuses')).toBe(3);
    // Only the good completion was stored.
    expect([...cache.entries.values()].map((e) => e.completion)).toEqual(['0.5']);
    // A re-run asks again for the failures and takes the stored answer from the cache.
    const again = new GeneratorJudge(gen, { cache, replyRetries: 0 });
    await expect(again.complete({ prompt: 'blank-then-ok', temperature: 0, maxTokens: 3 })).resolves.toBe('0.5');
    await expect(again.complete({ prompt: 'always-blank', temperature: 0, maxTokens: 3 })).rejects.toThrow(JudgeError);
    expect(again.stats).toEqual({ hits: 1, misses: 1 });
    expect(asked.get('always-blank')).toBe(4);
  });

  it('passes over a blank entry an older run left in the cache', async () => {
    const gen = new TableGenerator('gpt-test', () => '1.0');
    const cache = new MemoryJudgeCache();
    const request = { prompt: 'p', temperature: 0, maxTokens: 3 };
    const key = judgeCacheKey({ model: 'gpt-test', prompt: 'p', sampling: { temperature: 0, topP: 1, maxNewTokens: 3 } });
    cache.put(key, '', 'gpt-test');
    const judge = new GeneratorJudge(gen, { cache });
    await expect(judge.complete(request)).resolves.toBe('1.0');
    expect(judge.stats).toEqual({ hits: 0, misses: 1 });
    expect(gen.calls).toHaveLength(1);
  });
});

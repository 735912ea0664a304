import { readRegularFile } from '@smart/core';
import type { GenerationRequest, Generator } from '@smart/types';
import { z } from 'zod';
import { JudgeCacheError, JudgeError } from '../errors';
import { pyStrip } from '../python/py-whitespace';
import { imageSha256 } from './image-sha256';
import type { Judge, JudgeRequest } from './judge';
import type { JudgeCache } from './judge-cache';
import { judgeCacheKey } from './judge-cache-key';

/** Options of {@link GeneratorJudge}. */
export interface GeneratorJudgeOptions {
  /** Where completions are looked up and stored (e.g. the preference store's `store.judgeCache`). Failures are never stored. */
  cache?: JudgeCache;
  /** Reads path images for their cache-key hash (default: @smart/core's readRegularFile, which refuses FIFOs and devices). */
  readFile?: (path: string) => Promise<Uint8Array>;
  /** Extra asks after a blank or rejected reply (each is a fresh generation; none is cached). Default 2. */
  replyRetries?: number;
}

/** Hit/miss counters of a judge: a hit answered without calling the generator. */
export interface JudgeStats {
  hits: number;
  misses: number;
}

const CachedSamplesSchema = z.array(z.string());

/**
 * A judge backed by any `Generator`: the app passes mllm's OpenAI-compatible generator (whose retry
 * policy covers transient HTTP failures) or a local model. Sampling, n and seed travel in the
 * `GenerationRequest`; a failed generation (thrown, or finishReason `error`) becomes `JudgeError`.
 * A blank reply (empty or whitespace only) or one the request's `rejectReply` refuses is a failed call
 * too: asked again up to `replyRetries` times, never cached, then `JudgeError`. With a cache, each
 * distinct call (see `judgeCacheKey`) reaches the generator once, and identical calls in flight at the
 * same time share one generation.
 */
export class GeneratorJudge implements Judge {
  readonly stats: JudgeStats = { hits: 0, misses: 0 };
  private counter = 0;
  private readonly inflight = new Map<string, Promise<string[]>>();
  private readonly readFile: (path: string) => Promise<Uint8Array>;

  constructor(
    private readonly generator: Generator,
    private readonly options: GeneratorJudgeOptions = {},
  ) {
    this.readFile = options.readFile ?? ((path) => readRegularFile(path));
  }

  /** The generator's model id, recorded in results and part of every cache key. */
  get model(): string {
    return this.generator.modelId;
  }

  /** The first completion of `request`. */
  async complete(request: JudgeRequest): Promise<string> {
    return (await this.completeAll(request))[0]!;
  }

  /** All `request.n` completions, in the backend's order. */
  async completeAll(request: JudgeRequest): Promise<string[]> {
    const generation = this.toGenerationRequest(request);
    const cache = this.options.cache;
    if (!cache) {
      this.stats.misses++;
      return this.generateAccepted(generation, request.rejectReply);
    }
    const key = judgeCacheKey({
      model: this.model,
      prompt: generation.prompt,
      sampling: generation.sampling,
      ...(generation.system === undefined ? {} : { system: generation.system }),
      ...(generation.image === undefined ? {} : { imageSha256: await imageSha256(generation.image, this.readFile) }),
      ...(request.n === undefined ? {} : { n: request.n }),
      ...(request.replica === undefined ? {} : { replica: request.replica }),
    });
    const pending = this.inflight.get(key);
    if (pending) {
      this.stats.hits++;
      return pending;
    }
    const task = this.lookup(key, generation, cache, request.rejectReply);
    this.inflight.set(key, task);
    try {
      return await task;
    } finally {
      this.inflight.delete(key);
    }
  }

  private async lookup(key: string, generation: GenerationRequest, cache: JudgeCache, reject: JudgeRequest['rejectReply']): Promise<string[]> {
    const n = generation.n ?? 1;
    const hit = await cache.get(key);
    // An entry written before blank replies counted as failures is passed over, never returned.
    if (hit !== undefined) {
      const cached = decode(key, hit, n);
      if (rejection(cached, reject) === undefined) {
        this.stats.hits++;
        return cached;
      }
    }
    this.stats.misses++;
    const completions = await this.generateAccepted(generation, reject);
    // Another writer may have stored this key meanwhile; its answer wins so every run agrees.
    const stored = decode(key, await cache.put(key, n === 1 ? completions[0]! : JSON.stringify(completions), this.model), n);
    return rejection(stored, reject) === undefined ? stored : completions;
  }

  /** Generates until no completion is blank or rejected, at most 1 + replyRetries times. */
  private async generateAccepted(generation: GenerationRequest, reject: JudgeRequest['rejectReply']): Promise<string[]> {
    const tries = 1 + Math.max(0, this.options.replyRetries ?? 2);
    let reason = '';
    for (let attempt = 1; attempt <= tries; attempt++) {
      const completions = await this.generate(attempt === 1 ? generation : { ...generation, id: `judge-${this.counter++}` });
      const why = rejection(completions, reject);
      if (why === undefined) return completions;
      reason = why;
    }
    throw new JudgeError(this.model, tries, `${reason} (every reply)`);
  }

  private toGenerationRequest(request: JudgeRequest): GenerationRequest {
    const n = request.n ?? 1;
    return {
      id: `judge-${this.counter++}`,
      prompt: request.prompt,
      ...(request.system === undefined ? {} : { system: request.system }),
      ...(request.image === undefined ? {} : { image: request.image }),
      sampling: {
        temperature: request.temperature,
        topP: request.topP ?? 1,
        maxNewTokens: request.maxTokens,
        ...(request.seed === undefined ? {} : { seed: request.seed }),
      },
      ...(n === 1 ? {} : { n }),
    };
  }

  private async generate(request: GenerationRequest): Promise<string[]> {
    let results;
    try {
      results = await this.generator.generate([request]);
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      // mllm's HttpGenerationError carries the attempts its retry policy made and the last HTTP status.
      const { attempts, status } = e as { attempts?: unknown; status?: unknown };
      throw new JudgeError(this.model, typeof attempts === 'number' ? attempts : 1, e.message, typeof status === 'number' ? status : undefined, { cause: e });
    }
    const result = results[0];
    if (!result) throw new JudgeError(this.model, 1, 'generator returned no result');
    if (result.finishReason === 'error') throw new JudgeError(this.model, 1, result.error ?? 'generation failed');
    const n = request.n ?? 1;
    if (n === 1) return [result.text];
    const samples = result.samples ?? [];
    if (samples.length !== n) throw new JudgeError(this.model, 1, `asked for ${n} completions, got ${samples.length}`);
    if (samples.some((s) => s.finishReason === 'error')) throw new JudgeError(this.model, 1, 'a completion failed');
    return samples.map((s) => s.text);
  }
}

/** Why a set of completions is a failed call (a blank or rejected one), or undefined when all are answers. */
function rejection(completions: readonly string[], reject: JudgeRequest['rejectReply']): string | undefined {
  for (const c of completions) {
    if (pyStrip(c) === '') return 'blank reply';
    const why = reject?.(c);
    if (why !== undefined) return why;
  }
  return undefined;
}

/** A cache entry holds the completion itself for n = 1, else a JSON array of the n completions. */
function decode(key: string, entry: string, n: number): string[] {
  if (n === 1) return [entry];
  let parsed: unknown;
  try {
    parsed = JSON.parse(entry);
  } catch {
    throw new JudgeCacheError(key, `expected a JSON array of ${n} completions`);
  }
  const samples = CachedSamplesSchema.safeParse(parsed);
  if (!samples.success || samples.data.length !== n) throw new JudgeCacheError(key, `expected a JSON array of ${n} completions`);
  return samples.data;
}

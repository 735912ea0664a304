import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { GenerationProgress, GenerationRequest, GenerationResult, Generator } from '@smart/types';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { GenerationAbortedError, HttpGenerationError, InvalidRequestError, MllmError, ResponseValidationError } from '../errors';
import { mapFinishReason } from './finish-reason';
import { imageToDataUrl } from './image-data-url';
import { chatCompletionResponseSchema, type ChatCompletionResponse } from './openai-schemas';
import { backoffDelay, isRetryableStatus, parseRetryAfter, type BackoffOptions } from './retry-policy';
import { requestImages, validateRequests } from '../validate-request';

/** Options of {@link OpenAICompatibleGenerator}. */
export interface OpenAICompatibleGeneratorOptions {
  /** API root including the version, e.g. `http://127.0.0.1:8000/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  /** Served model name sent as `model`. */
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>` when set. */
  apiKey?: string;
  /** Requests in flight at most, across all generate() calls of this instance. Default 4. */
  concurrency?: number;
  /** Per-attempt timeout, milliseconds. Default 120 000. */
  timeoutMs?: number;
  /** Retries after the first attempt on 429/408/5xx, network errors and timeouts. Default 4. */
  maxRetries?: number;
  /** Exponential backoff with full jitter. Default base 500 ms, cap 30 s. */
  backoff?: Partial<BackoffOptions>;
  /** `throw` (default): the first failed request rejects generate(); `result`: it becomes finishReason `error`. */
  onRequestError?: 'throw' | 'result';
  /** Extra JSON fields merged into every request body (e.g. vLLM's `repetition_penalty`). */
  extraBody?: Record<string, unknown>;
  /** Injected I/O, for tests and custom transports. */
  fetch?: typeof fetch;
  readFile?: (path: string) => Promise<Uint8Array>;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Used as seed when a request has none, so every result reports the seed it ran with. Default crypto.randomInt. */
  seedSource?: () => number;
}

/** Running totals across all generate() calls: usage accounting for hosted APIs. */
export interface HttpUsage {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  retries: number;
  failures: number;
}

/** Generator over any OpenAI-compatible chat-completions server (vLLM, SGLang, llama.cpp server, `serve`). */
export class OpenAICompatibleGenerator implements Generator {
  readonly modelId: string;
  readonly usage: HttpUsage = { requests: 0, promptTokens: 0, completionTokens: 0, retries: 0, failures: 0 };
  private readonly limiter: ConcurrencyLimiter;
  private readonly endpoint: string;
  private readonly io: Required<Pick<OpenAICompatibleGeneratorOptions, 'fetch' | 'readFile' | 'sleep' | 'random' | 'now' | 'seedSource'>>;
  private readonly closing = new AbortController();

  constructor(private readonly options: OpenAICompatibleGeneratorOptions) {
    this.modelId = options.model;
    this.endpoint = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    this.limiter = new ConcurrencyLimiter(options.concurrency ?? 4);
    this.io = {
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      readFile: options.readFile ?? ((p) => readFile(p)),
      sleep: options.sleep ?? abortableSleep,
      random: options.random ?? Math.random,
      now: options.now ?? (() => performance.now()),
      seedSource: options.seedSource ?? (() => randomInt(2 ** 31)),
    };
  }

  /** Sends every request (up to `concurrency` at once) and returns the results in request order. */
  async generate(
    requests: GenerationRequest[],
    options: { signal?: AbortSignal; onProgress?: GenerationProgress; onTokens?: (newTokens: number) => void } = {},
  ): Promise<GenerationResult[]> {
    // The chat API takes any number of image parts per message; the server decides what its model accepts.
    validateRequests(requests, { maxImages: Number.POSITIVE_INFINITY });
    // One failing request cancels its siblings in `throw` mode.
    const batchAbort = new AbortController();
    const signal = AbortSignal.any([batchAbort.signal, this.closing.signal, ...(options.signal ? [options.signal] : [])]);
    let done = 0;
    const tasks = requests.map((request) =>
      this.limiter.run(async () => {
        if (signal.aborted) throw abortReason(options.signal, signal);
        let result: GenerationResult;
        try {
          result = await this.complete(request, signal);
        } catch (err) {
          if (err instanceof GenerationAbortedError || options.signal?.aborted) throw abortReason(options.signal, signal);
          this.usage.failures++;
          if ((this.options.onRequestError ?? 'throw') === 'throw' || !(err instanceof MllmError)) {
            batchAbort.abort(err);
            throw err;
          }
          result = { id: request.id, text: '', finishReason: 'error', promptTokens: 0, completionTokens: 0, latencyMs: 0, error: err.message };
        }
        options.onTokens?.(result.completionTokens);
        options.onProgress?.(++done, requests.length);
        return result;
      }),
    );
    const settled = await Promise.allSettled(tasks);
    // Report the root cause, not the aborts it caused in sibling requests.
    const failure = settled.find((s) => s.status === 'rejected' && !(s.reason instanceof GenerationAbortedError)) ?? settled.find((s) => s.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
    return settled.map((s) => (s as PromiseFulfilledResult<GenerationResult>).value);
  }

  /** Cancels requests in flight; the instance cannot be used afterwards. */
  async close(): Promise<void> {
    this.closing.abort(new GenerationAbortedError('generator closed'));
  }

  private async complete(request: GenerationRequest, signal: AbortSignal): Promise<GenerationResult> {
    const seed = request.sampling.seed ?? this.io.seedSource();
    const body = JSON.stringify(await this.requestBody(request, seed));
    const maxRetries = this.options.maxRetries ?? 4;
    const backoff = { baseMs: this.options.backoff?.baseMs ?? 500, maxMs: this.options.backoff?.maxMs ?? 30_000 };
    const started = this.io.now();
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(request.id, body, signal);
      if (outcome.kind === 'ok') {
        const result = toResult(request, outcome.response, this.io.now() - started, seed);
        this.usage.requests++;
        this.usage.promptTokens += result.promptTokens;
        this.usage.completionTokens += result.completionTokens;
        return result;
      }
      if (!outcome.retryable || attempt >= maxRetries) {
        throw new HttpGenerationError(request.id, outcome.reason, outcome.status, attempt + 1, { cause: outcome.cause });
      }
      this.usage.retries++;
      await this.io.sleep(backoffDelay(attempt, backoff, this.io.random, outcome.retryAfterMs), signal);
      if (signal.aborted) throw new GenerationAbortedError(signal.reason);
    }
  }

  private async attempt(
    requestId: string,
    body: string,
    signal: AbortSignal,
  ): Promise<
    | { kind: 'ok'; response: ChatCompletionResponse }
    | { kind: 'failed'; retryable: boolean; reason: string; status?: number; retryAfterMs?: number; cause?: unknown }
  > {
    const timeoutMs = this.options.timeoutMs ?? 120_000;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.io.fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-request-id': requestId,
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body,
        signal: AbortSignal.any([signal, timeout.signal]),
      });
      text = await response.text();
    } catch (err) {
      if (signal.aborted) throw new GenerationAbortedError(signal.reason);
      if (timeout.signal.aborted) return { kind: 'failed', retryable: true, reason: `timed out after ${timeoutMs} ms` };
      return { kind: 'failed', retryable: true, reason: `network error: ${(err as Error).message}`, cause: err };
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      return { kind: 'failed', retryable: isRetryableStatus(response.status), status: response.status, retryAfterMs, reason: `HTTP ${response.status}: ${errorMessage(text)}` };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ResponseValidationError(requestId, `body is not JSON: ${text.slice(0, 200)}`);
    }
    const parsed = chatCompletionResponseSchema.safeParse(json);
    if (!parsed.success) throw new ResponseValidationError(requestId, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    return { kind: 'ok', response: parsed.data };
  }

  private async requestBody(request: GenerationRequest, seed: number): Promise<Record<string, unknown>> {
    const content: unknown[] = [];
    const images = requestImages(request);
    for (const [i, image] of images.entries()) {
      try {
        content.push({ type: 'image_url', image_url: { url: await imageToDataUrl(image, this.io.readFile) } });
      } catch (err) {
        throw new InvalidRequestError(request.id, `${request.images ? `images[${i}]` : 'image'}: ${(err as Error).message}`);
      }
    }
    content.push({ type: 'text', text: request.prompt });
    const s = request.sampling;
    return {
      ...this.options.extraBody,
      model: this.options.model,
      messages: [...(request.system !== undefined ? [{ role: 'system', content: request.system }] : []), { role: 'user', content }],
      temperature: s.temperature,
      top_p: s.topP,
      max_tokens: s.maxNewTokens,
      seed,
      ...(s.topK ? { top_k: s.topK } : {}),
      ...((request.n ?? 1) > 1 ? { n: request.n } : {}),
    };
  }
}

function toResult(request: GenerationRequest, response: ChatCompletionResponse, latencyMs: number, seed: number): GenerationResult {
  const choices = [...response.choices].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const completionTokens = response.usage?.completion_tokens ?? 0;
  // OpenAI reports usage per response, not per choice: a single choice gets the whole count; `serve` adds per-choice counts.
  const samples = choices.map((c) => ({
    text: c.message.content ?? '',
    finishReason: mapFinishReason(c.finish_reason),
    completionTokens: c.completion_tokens ?? (choices.length === 1 ? completionTokens : 0),
  }));
  const first = samples[0]!;
  const result: GenerationResult = {
    id: request.id,
    text: first.text,
    finishReason: first.finishReason,
    promptTokens: response.usage?.prompt_tokens ?? 0,
    completionTokens,
    latencyMs,
    seed,
  };
  if (first.finishReason === 'error') result.error = 'the server filtered the completion (finish_reason content_filter)';
  if ((request.n ?? 1) > 1) result.samples = samples;
  return result;
}

function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string };
    if (typeof parsed.error === 'string') return parsed.error;
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 200) || '(empty body)';
}

function abortReason(userSignal: AbortSignal | undefined, signal: AbortSignal): Error {
  if (signal.reason instanceof MllmError && !(signal.reason instanceof GenerationAbortedError)) return signal.reason;
  return new GenerationAbortedError(userSignal?.reason ?? signal.reason);
}

/** Sleeps `ms`, resolving early (never rejecting) when `signal` fires; callers check the signal afterwards. */
function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}

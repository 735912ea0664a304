import { z } from 'zod';
import { JudgeError } from '../errors';
import { ConcurrencyLimit } from './concurrency-limit';
import type { Judge, JudgeRequest } from './judge';

/** The part of an OpenAI chat-completions response a judge reads. */
export const ChatCompletionSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(z.object({ message: z.object({ content: z.string().nullable() }) }))
    .min(1),
});
export type ChatCompletion = z.infer<typeof ChatCompletionSchema>;

/** Options of `OpenAiJudge`. */
export interface OpenAiJudgeOptions {
  /** Server root including `/v1`, e.g. `http://127.0.0.1:8000/v1` or `https://api.openai.com/v1`. */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>` when set. */
  apiKey?: string;
  /** Injected fetch (defaults to the global one). */
  fetch?: typeof fetch;
  /** Retries after the first attempt on network errors, timeouts, 408/429 and 5xx. Default 4. */
  maxRetries?: number;
  /** First backoff delay; doubles per retry, capped at `maxBackoffMs`. Default 1000. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Per-attempt timeout. Default 120000. */
  timeoutMs?: number;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** Injected sleep, for tests that should not wait. */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class RetryableError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A judge backed by any OpenAI-compatible `/chat/completions` endpoint (OpenAI, vLLM, SGLang, llama.cpp). */
export class OpenAiJudge implements Judge {
  readonly model: string;
  private readonly limit: ConcurrencyLimit;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  /** HTTP attempts made so far, successful or not. */
  attempts = 0;

  constructor(private readonly opts: OpenAiJudgeOptions) {
    this.model = opts.model;
    this.limit = new ConcurrencyLimit(opts.concurrency ?? 4);
    this.fetchFn = opts.fetch ?? fetch;
    this.sleep = opts.sleep ?? defaultSleep;
  }

  complete(request: JudgeRequest): Promise<string> {
    return this.limit.run(() => this.withRetries(request));
  }

  private async withRetries(request: JudgeRequest): Promise<string> {
    const maxRetries = this.opts.maxRetries ?? 4;
    let delay = this.opts.backoffMs ?? 1000;
    let last: RetryableError | undefined;
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      if (attempt > 0) {
        await this.sleep(delay);
        delay = Math.min(delay * 2, this.opts.maxBackoffMs ?? 30_000);
      }
      try {
        return await this.once(request);
      } catch (e) {
        if (!(e instanceof RetryableError)) throw e;
        last = e;
      }
    }
    throw new JudgeError(this.model, maxRetries + 1, last?.message ?? 'unknown error', last?.status);
  }

  private async once(request: JudgeRequest): Promise<string> {
    this.attempts++;
    const messages = [
      ...(request.system === undefined ? [] : [{ role: 'system', content: request.system }]),
      { role: 'user', content: request.prompt },
    ];
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.opts.apiKey) headers['authorization'] = `Bearer ${this.opts.apiKey}`;
    const timeoutMs = this.opts.timeoutMs ?? 120_000;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(`${this.opts.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: this.model, messages, temperature: request.temperature, max_tokens: request.maxTokens }),
        signal: controller.signal,
      });
      text = await res.text();
    } catch (e) {
      const reason = controller.signal.aborted ? `timed out after ${timeoutMs} ms` : `network error: ${(e as Error).message}`;
      throw new RetryableError(reason);
    } finally {
      clearTimeout(timer);
    }
    if (!res.ok) {
      const reason = `HTTP ${res.status}: ${text.slice(0, 200)}`;
      if (res.status >= 500 || res.status === 408 || res.status === 429) throw new RetryableError(reason, res.status);
      throw new JudgeError(this.model, 1, reason, res.status);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new RetryableError(`response is not JSON: ${text.slice(0, 200)}`, res.status);
    }
    const parsed = ChatCompletionSchema.safeParse(body);
    if (!parsed.success) throw new RetryableError(`malformed chat completion: ${parsed.error.issues[0]?.message ?? ''}`, res.status);
    const content = parsed.data.choices[0]!.message.content;
    if (content === null) throw new RetryableError('completion has no content', res.status);
    return content;
  }
}

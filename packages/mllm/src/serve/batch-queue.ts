import type { GenerationRequest, GenerationResult, Generator } from '@smart/types';
import { QueueFullError } from '../errors';

interface Pending {
  request: GenerationRequest;
  resolve(result: GenerationResult): void;
  reject(err: unknown): void;
}

/**
 * Feeds HTTP requests to a Generator: at most `maxConcurrent` generate() calls at once, each with up
 * to `maxBatch` queued requests, so concurrent clients share a batch of the local backend.
 * More than `maxQueue` waiting requests are refused with QueueFullError.
 */
export class BatchQueue {
  private readonly waiting: Pending[] = [];
  private active = 0;
  private readonly idle: (() => void)[] = [];

  constructor(
    private readonly generator: Generator,
    private readonly limits: { maxConcurrent: number; maxBatch: number; maxQueue: number },
  ) {
    for (const [name, value] of Object.entries(limits)) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
  }

  /** Requests waiting plus generate() calls running. */
  get load(): { waiting: number; active: number } {
    return { waiting: this.waiting.length, active: this.active };
  }

  /** Queues one request; resolves with its result. */
  submit(request: GenerationRequest): Promise<GenerationResult> {
    if (this.waiting.length >= this.limits.maxQueue) return Promise.reject(new QueueFullError(this.limits.maxQueue));
    const done = new Promise<GenerationResult>((resolve, reject) => this.waiting.push({ request, resolve, reject }));
    this.pump();
    return done;
  }

  /** Resolves once nothing is waiting or running. */
  drain(): Promise<void> {
    if (this.active === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.active < this.limits.maxConcurrent && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.limits.maxBatch);
      this.active++;
      this.generator
        .generate(batch.map((p) => p.request))
        .then(
          (results) => batch.forEach((p, i) => (results[i] ? p.resolve(results[i]) : p.reject(new Error(`generator returned no result for ${p.request.id}`)))),
          (err) => batch.forEach((p) => p.reject(err)),
        )
        .finally(() => {
          this.active--;
          this.pump();
          if (this.active === 0 && this.waiting.length === 0) for (const resolve of this.idle.splice(0)) resolve();
        });
    }
  }
}

import type { GenerationRequest, GenerationResult, Generator } from '@smart/types';
import { GenerationAbortedError, QueueFullError } from '../errors';

interface Pending {
  request: GenerationRequest;
  signal: AbortSignal | undefined;
  settled: boolean;
  resolve(result: GenerationResult): void;
  reject(err: unknown): void;
}

/**
 * Feeds HTTP requests to a Generator: at most `maxConcurrent` generate() calls at once, each with up
 * to `maxBatch` queued requests. More than `maxQueue` waiting requests are refused with QueueFullError.
 *
 * Each request carries its own AbortSignal (client gone, timeout): a waiting request leaves the queue at
 * once; a running one rejects at once, and its generate() call is aborted when every request in it has
 * been, which frees the generator's slots (a local generator drops the rows at its next step).
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

  /** Queues one request; resolves with its result, rejects with QueueFullError or GenerationAbortedError. */
  submit(request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult> {
    if (signal?.aborted) return Promise.reject(new GenerationAbortedError(signal.reason));
    if (this.waiting.length >= this.limits.maxQueue) return Promise.reject(new QueueFullError(this.limits.maxQueue));
    const done = new Promise<GenerationResult>((resolve, reject) => {
      const pending: Pending = { request, signal, settled: false, resolve, reject };
      this.waiting.push(pending);
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.waiting.indexOf(pending);
          if (i >= 0) this.waiting.splice(i, 1);
          settle(pending, () => pending.reject(new GenerationAbortedError(signal.reason)));
          this.notifyIdle();
        },
        { once: true },
      );
    });
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
      const abort = new AbortController();
      const signals = batch.map((p) => p.signal).filter((s): s is AbortSignal => s !== undefined);
      // The call is cancelled once nobody waits for any of its results.
      if (signals.length === batch.length) {
        const check = () => {
          if (signals.every((s) => s.aborted)) abort.abort(new GenerationAbortedError('every client of this batch is gone'));
        };
        for (const s of signals) s.addEventListener('abort', check, { once: true });
        check();
      }
      this.generator
        .generate(
          batch.map((p) => p.request),
          { signal: abort.signal },
        )
        .then(
          (results) =>
            batch.forEach((p, i) => {
              const result = results[i];
              settle(p, () => (result ? p.resolve(result) : p.reject(new Error(`generator returned no result for ${p.request.id}`))));
            }),
          (err) => batch.forEach((p) => settle(p, () => p.reject(err))),
        )
        .finally(() => {
          this.active--;
          this.pump();
          this.notifyIdle();
        });
    }
  }

  private notifyIdle(): void {
    if (this.active === 0 && this.waiting.length === 0) for (const resolve of this.idle.splice(0)) resolve();
  }
}

function settle(p: Pending, action: () => void): void {
  if (p.settled) return;
  p.settled = true;
  action();
}

import { GenerationAbortedError } from '../errors';
import type { TjsLibrary } from './transformers-js-surface';

/** Per-step hooks of one generate() call. */
export interface BatchStreamerHooks {
  /** Rows still producing tokens that count (not past their first EOS or their own token budget). */
  onStep(tokens: readonly bigint[]): void;
  signal?: AbortSignal;
}

/**
 * Builds a library streamer (the library's TextStreamer handles batch size 1 only) that reports each
 * decode step's tokens [B] and stops generation by throwing when the AbortSignal fires.
 */
export function createBatchStreamer(lib: Pick<TjsLibrary, 'BaseStreamer'>, hooks: BatchStreamerHooks): object {
  class BatchStreamer extends lib.BaseStreamer {
    private promptSeen = false;
    put(value: bigint[][]): void {
      if (hooks.signal?.aborted) throw new GenerationAbortedError(hooks.signal.reason);
      // The first put is the prompt [B, L]; every later one is the new tokens [B, 1].
      if (!this.promptSeen) {
        this.promptSeen = true;
        return;
      }
      hooks.onStep(value.map((row) => row[0]!));
    }
    end(): void {
      // Nothing buffered: every step was reported in put().
    }
  }
  return new BatchStreamer();
}

import type { GenerationRequest, GenerationResult, Generator } from '@smart/types';

/** What a scripted answer may be: the text, or a generation that failed (finishReason `error`). */
export type ScriptedAnswer = string | { error: string };

/**
 * A `Generator` for judge tests: answers each request from a function (a table lookup, a marker in
 * the prompt), logs every request it was sent, and fails like a backend would: an answer function
 * that throws makes `generate` reject with that error (mllm's behaviour once its retries are spent),
 * `{ error }` gives a result with finishReason `error`. With `n` > 1 the function is asked once per sample.
 */
export class TableGenerator implements Generator {
  readonly calls: GenerationRequest[] = [];

  constructor(
    readonly modelId: string,
    private readonly answer: (request: GenerationRequest, sample: number) => ScriptedAnswer,
  ) {}

  async generate(requests: GenerationRequest[]): Promise<GenerationResult[]> {
    // Yield once, so concurrent callers interleave as they would with a real backend.
    await Promise.resolve();
    return requests.map((r) => {
      this.calls.push(r);
      const n = r.n ?? 1;
      const answers = Array.from({ length: n }, (_, k) => this.answer(r, k));
      const failed = answers.find((a): a is { error: string } => typeof a !== 'string');
      const texts = answers.map((a) => (typeof a === 'string' ? a : ''));
      const base = { id: r.id, promptTokens: r.prompt.length, latencyMs: 0, ...(r.sampling.seed === undefined ? {} : { seed: r.sampling.seed }) };
      if (failed) return { ...base, text: '', finishReason: 'error', completionTokens: 0, error: failed.error };
      const result: GenerationResult = { ...base, text: texts[0]!, finishReason: 'stop', completionTokens: texts.reduce((t, s) => t + s.length, 0) };
      if (n > 1) result.samples = texts.map((text) => ({ text, finishReason: 'stop' as const, completionTokens: text.length }));
      return result;
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** An error shaped like mllm's HttpGenerationError after its retries: attempts made and the last status. */
export function transportError(message: string, status: number, attempts: number): Error {
  return Object.assign(new Error(message), { status, attempts });
}

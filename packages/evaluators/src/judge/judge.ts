import type { ImageInput } from '@smart/types';

/** One judge call: an optional system message and a user prompt (and image), with sampling settings. */
export interface JudgeRequest {
  system?: string;
  prompt: string;
  /** An image shown to the judge; its content hash is part of the cache key. */
  image?: ImageInput;
  /** Official scorers use 0 (MathVista, MM-Vet) or 0.2 (LLaVA-Bench). */
  temperature: number;
  /** Nucleus sampling; default 1, which is what the official scripts get by not sending it. */
  topP?: number;
  maxTokens: number;
  /** Completions to draw for this call (default 1); `GeneratorJudge.completeAll` returns them all. */
  n?: number;
  /** Sampling seed passed to the backend; unset, the backend draws one. */
  seed?: number;
  /**
   * Index of an intentional repeat of the same call (MM-Vet's N grading runs, a re-ask after an
   * unparseable answer). Not sent to the backend; only keeps repeats apart in the cache.
   */
  replica?: number;
  /**
   * Says why a reply is a failed call rather than an answer (MathVista: a refusal), or undefined.
   * Such replies, like blank ones, are asked again, never cached, and end in `JudgeError`.
   */
  rejectReply?: (reply: string) => string | undefined;
}

/**
 * A grader or answer extractor: any chat model behind one call. `complete` resolves to the
 * completion text or rejects with `JudgeError` once the backend's retries are spent, or when every
 * reply was blank (or rejected by `rejectReply`).
 */
export interface Judge {
  /** Model name recorded in results and used in cache keys. */
  readonly model: string;
  complete(request: JudgeRequest): Promise<string>;
}

/** One judge call: an optional system message and a user prompt, with sampling settings. */
export interface JudgeRequest {
  system?: string;
  prompt: string;
  /** Official scorers use 0 (MathVista, MM-Vet) or 0.2 (LLaVA-Bench). */
  temperature: number;
  maxTokens: number;
  /**
   * Index of an intentional repeat of the same call (MM-Vet's N grading runs, a re-ask after an
   * unparseable answer). Not sent to the server; only keeps repeats apart in the cache.
   */
  replica?: number;
}

/**
 * A grader or answer extractor: any chat model behind one call. `complete` resolves to the
 * completion text or rejects with `JudgeError` once its own retries are spent.
 */
export interface Judge {
  /** Model name recorded in results and used in cache keys. */
  readonly model: string;
  complete(request: JudgeRequest): Promise<string>;
}

/** Why generation stopped. */
export type FinishReason = 'stop' | 'length' | 'error';

/** One of several completions drawn for the same request (`GenerationRequest.n` > 1). */
export interface GenerationSample {
  text: string;
  finishReason: FinishReason;
  completionTokens: number;
}

import type { OptionLetter } from './sample';

/** How a rationale was prompted. See method.md §2 and the ablations of §6. */
export type PromptVariant = 'aot' | 'aot-no-answer' | 'naive-cot' | 'ccot' | 'ddcot' | 'answer-only' | 'mpo';

/** Positive rationales support the correct answer; negative ones argue for a wrong one. */
export type RationaleKind = 'positive' | 'negative';

/** Sampling parameters of one generation. Paper defaults: temperature 0.7, top-p 0.9, 512 new tokens. */
export interface SamplingParams {
  temperature: number;
  topP: number;
  /** 0 disables top-k. */
  topK?: number;
  maxNewTokens: number;
  seed?: number;
}

/** Paper defaults for rationale generation (method.md §5). */
export const DEFAULT_SAMPLING: SamplingParams = Object.freeze({
  temperature: 0.7,
  topP: 0.9,
  topK: 0,
  maxNewTokens: 512,
});

/** A rationale text produced by a model for one sample. */
export interface Rationale {
  sampleId: string;
  kind: RationaleKind;
  variant: PromptVariant;
  /** The option the prompt asserted (the correct one for positives, a wrong one for negatives). */
  targetAnswer?: OptionLetter;
  text: string;
  /** Model identifier (folder, served name) that wrote it. */
  model: string;
  sampling: SamplingParams;
  /** Whether the image was augmented before generation (negatives in AoT). */
  augmented: boolean;
}

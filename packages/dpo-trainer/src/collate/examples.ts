import type { EncodedPixels, ImageInput } from '@smart/types';

/** A preference pair as the trainer takes it (the store's pair, or a TRL row): one prompt, two completions. */
export interface PreferenceExample {
  /** Stable id (the store's sample id): names the pair in errors and keys its reference log-probs. */
  id: string;
  prompt: string;
  image?: ImageInput;
  system?: string;
  chosen: string;
  rejected: string;
  /** Summed completion log-probs of the frozen reference model, when already computed (e.g. read from the store). */
  reference?: ReferenceLogProbs;
}

/** Reference-model log-probs of one pair (sums over completion tokens, TRL `ref_chosen_logps` / `ref_rejected_logps`). */
export interface ReferenceLogProbs {
  chosen: number;
  rejected: number;
}

/** An SFT example: prompt (and image) with the completion to learn. */
export interface SftExample {
  id: string;
  prompt: string;
  image?: ImageInput;
  system?: string;
  completion: string;
}

/** One tokenized training row: the completion (labels) is `ids[promptLength ..]`, end-of-turn tokens included as TRL. */
export interface TokenRow {
  ids: number[];
  promptLength: number;
}

/** A pair after encoding and truncation: both rows start with the same prompt tokens. */
export interface EncodedPair {
  id: string;
  chosen: TokenRow;
  rejected: TokenRow;
  pixelValues?: EncodedPixels;
}

/** An SFT example after encoding and truncation. */
export interface EncodedSftRow {
  id: string;
  row: TokenRow;
  pixelValues?: EncodedPixels;
}

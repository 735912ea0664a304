import type {
  DropReason,
  FinishReason,
  OptionLetter,
  PreferencePair,
  PromptVariant,
  RationaleKind,
  Sample,
  SamplingParams,
} from '@smart/types';

/** A sample as the store holds it: the Sample plus the name of the source it was loaded from. */
export interface StoredSample {
  sample: Sample;
  /** Loader/dataset name, e.g. `mathv360k` or `synthetic-train`. */
  sourceName: string;
}

/**
 * How a negative's image was augmented, enough to rebuild it bit for bit from the clean image: every draw
 * (flips, erasing, ε) comes from one stream seeded with `seed`, in the profile's order.
 */
export interface AugmentationRecord {
  /** Seed of the stream (`createRng(seed)` of @smart/core). */
  seed: number;
  /** Augmentation profile, e.g. `paper` or `released-code`. */
  profile: string;
  /** Where the noise went: the model's input tensor (local backend), the 8-bit image (approximation), or none. */
  noiseSpace: 'model-input' | 'image' | null;
  noiseStep: number | null;
  /** What the draws did (flips, erased rectangle, crop), for audits and reports. */
  steps?: Record<string, unknown>;
}

/** One generated rationale with everything needed to replay or audit it. */
export interface GenerationRecord {
  sampleId: string;
  iteration: number;
  kind: RationaleKind;
  /** Several drafts of the same kind may be kept; 0 unless the caller samples more than one. */
  candidate?: number;
  variant: PromptVariant;
  /** Exact prompt text sent to the model. */
  prompt: string;
  /** Option the prompt asserted (correct for positives, wrong for negatives). */
  targetAnswer?: OptionLetter;
  text: string;
  model: string;
  sampling: SamplingParams;
  /** Seed the backend used; defaults to `sampling.seed`. */
  seed?: number;
  augmented: boolean;
  /** How the image of an augmented (negative) rationale was made; absent for clean images. */
  augmentation?: AugmentationRecord;
  finishReason?: FinishReason;
  promptTokens?: number;
  completionTokens?: number;
  latencyMs?: number;
}

/** A generation read back from the store. */
export interface StoredGeneration extends GenerationRecord {
  id: number;
  candidate: number;
  createdAt: string;
}

/** The filter verdict on a (positive, negative) candidate pair of one sample in one iteration. */
export interface PairVerdict {
  sampleId: string;
  iteration: number;
  /** Question as the model sees it at training time (not the AoT prompt). */
  prompt: string;
  /** Empty when the pair is kept; one or more reasons when it is dropped. */
  dropReasons: DropReason[];
  /** Wrong letter the negative argued for; defaults to the negative generation's `targetAnswer`. */
  wrongAnswer?: OptionLetter;
  /** Which stored drafts the pair uses (default 0), when `recordVerdict` links rationales written earlier. */
  positiveCandidate?: number;
  negativeCandidate?: number;
}

/**
 * Both rationales and their verdict, written in one transaction. The pair links the two rationales
 * written with it (the verdict's candidate fields are not consulted).
 */
export interface PairWrite {
  positive: Omit<GenerationRecord, 'sampleId' | 'iteration' | 'kind'>;
  negative: Omit<GenerationRecord, 'sampleId' | 'iteration' | 'kind'>;
  verdict: PairVerdict;
}

/** A candidate pair read back, kept or dropped. `image` is `images/<sha256>.<ext>` (the export layout). */
export interface StoredPair extends PreferencePair {
  kept: boolean;
  dropReasons: DropReason[];
  imageSha256: string | null;
  refLogpChosen: number | null;
  refLogpRejected: number | null;
}

/** Counts per stage of one iteration (or all iterations), for the run report. */
export interface Funnel {
  samples: number;
  withPositive: number;
  withNegative: number;
  withBoth: number;
  judged: number;
  kept: number;
  dropped: number;
  /** A pair dropped for two reasons counts under both. */
  dropReasons: Partial<Record<DropReason, number>>;
}

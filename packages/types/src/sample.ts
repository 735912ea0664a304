/** Option letters in order; multiple-choice items carry 2–8 options. */
export const OPTION_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;

/** One option letter, `A`..`H`. */
export type OptionLetter = (typeof OPTION_LETTERS)[number];

/** Smallest and largest number of options a multiple-choice item may have. */
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 8;

/** One answer option of a multiple-choice question. */
export interface Choice {
  letter: OptionLetter;
  /** The option text without its `(X)` label, e.g. `115°`. */
  text: string;
}

/** Where a sample's image lives. `path` is resolved against the source's image root. */
export interface ImageRef {
  /** Path as written in the source record (relative to the image root) or absolute. */
  path: string;
  /** Content hash (sha256 hex) once the image has been read and stored. */
  sha256?: string;
}

/** Which kind of source a sample came from. */
export type SourceFormat = 'mathv360k' | 'scienceqa' | 'm3cot' | 'synthetic';

/**
 * One multiple-choice visual question: image I, question Q, choices, correct answer A.
 * The wrong answers A' are every choice other than `answer`.
 */
export interface Sample {
  /** Stable id, unique within its source. */
  id: string;
  image: ImageRef;
  /** Question stem without hint or choices. */
  question: string;
  /** Optional hint/context shown before the question (MathV360K `Hint:`, ScienceQA lecture/context). */
  hint?: string;
  choices: Choice[];
  /** Letter of the correct option; always one of `choices`. */
  answer: OptionLetter;
  source: SourceFormat;
  /** Free-form provenance (dataset name, split, original row index). */
  meta?: Record<string, string | number | boolean>;
}

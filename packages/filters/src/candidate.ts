import type { Choice, DropReason, OptionLetter } from '@smart/types';

/** A candidate pair before filtering: positive R (for answer A) and negative R' (for wrong answer A'). */
export interface CandidatePair {
  sampleId: string;
  choices: Choice[];
  /** Correct answer A. */
  answer: OptionLetter;
  /** Wrong answer A' the negative was prompted with. */
  wrongAnswer: OptionLetter;
  /** Positive rationale R. */
  chosen: string;
  /** Negative rationale R'. */
  rejected: string;
}

/** A filter looks at one candidate and returns the reason to drop it, or null to keep it. */
export type PairFilter = (pair: CandidatePair) => DropReason | null;

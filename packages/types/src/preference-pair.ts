import type { OptionLetter } from './sample';

/** Reasons a candidate pair can be dropped by the filters (method.md §4). */
export type DropReason =
  | 'chosen-missing-answer'
  | 'rejected-missing-answer'
  | 'chosen-circular'
  | 'too-short'
  | 'keyword'
  | 'chosen-states-wrong-answer'
  | 'rejected-states-correct-answer';

/**
 * A DPO training pair. The prompt is the original question (not the AoT prompt),
 * the image is the clean one; chosen = positive rationale, rejected = negative rationale.
 */
export interface PreferencePair {
  sampleId: string;
  /** Original question text as the model sees it at training time. */
  prompt: string;
  /** Image path (relative to the export folder or store) of the clean image. */
  image: string;
  chosen: string;
  rejected: string;
  /** Correct letter A and the wrong letter A' the negative argued for. */
  answer: OptionLetter;
  wrongAnswer: OptionLetter;
  iteration: number;
}

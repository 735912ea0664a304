import type { Choice, OptionLetter } from '@smart/types';

/** A parsed multiple-choice item: what every source format is reduced to. */
export interface McItem {
  /** Question stem, without hint and choices. */
  question: string;
  /** Hint/context text shown before the question, when the source has one. */
  hint?: string;
  /** 2–8 options labelled A.. in order. */
  choices: Choice[];
  /** Letter of the correct option; always one of `choices`. */
  answer: OptionLetter;
}

/** Why a record is not a valid multiple-choice item. Loaders count skipped rows by these. */
export type McRejectReason =
  | 'empty-question'
  | 'no-choices'
  | 'too-few-options'
  | 'too-many-options'
  | 'bad-option-labels'
  | 'empty-option'
  | 'no-answer'
  | 'answer-not-in-options';

/** Result of parsing a record: the item, or a typed reason with a human-readable detail. */
export type McParseResult = { ok: true; item: McItem } | { ok: false; reason: McRejectReason; detail: string };

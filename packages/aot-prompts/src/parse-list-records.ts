import type { McParseResult } from './mc-item';
import { labelOptions, withAnswer } from './parse-mathv360k';

/** A ScienceQA-style record: option texts and the 0-based index of the correct one. */
export interface ScienceQaRecord {
  question: string;
  choices: string[];
  answer: number;
  hint?: string;
}

/** An M3CoT-style record: option texts and the correct letter. */
export interface M3CotRecord {
  question: string;
  choices: string[];
  answer: string;
  context?: string;
}

/** Parses a ScienceQA-style record (`choices[]`, `answer` index) into an MC item; never throws. */
export function parseScienceQA(record: ScienceQaRecord): McParseResult {
  return parseList(record.question, record.choices, record.hint, () => {
    const i = record.answer;
    return Number.isInteger(i) && i >= 0 && i < record.choices.length ? String.fromCharCode(65 + i) : `#${i}`;
  });
}

/** Parses an M3CoT-style record (`choices[]`, `answer` letter) into an MC item; never throws. */
export function parseM3CoT(record: M3CotRecord): McParseResult {
  return parseList(record.question, record.choices, record.context, () => {
    const letter = /^\s*\(?([A-Za-z])\)?\s*$/.exec(record.answer)?.[1];
    return letter ? letter.toUpperCase() : null;
  });
}

function parseList(question: string, choices: string[], hint: string | undefined, answer: () => string | null): McParseResult {
  const q = question.trim();
  if (!q) return { ok: false, reason: 'empty-question', detail: 'question text is empty' };
  const labelled = labelOptions(choices);
  if (!labelled.ok) return labelled;
  const h = hint?.trim();
  const letter = answer();
  if (letter?.startsWith('#')) {
    return { ok: false, reason: 'answer-not-in-options', detail: `answer index ${letter.slice(1)} is outside 0..${choices.length - 1}` };
  }
  return withAnswer({ question: q, ...(h ? { hint: h } : {}), choices: labelled.choices }, letter);
}

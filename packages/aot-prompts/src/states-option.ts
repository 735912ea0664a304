import type { Choice, OptionLetter } from '@smart/types';
import { stripStepMarker } from './rationale-steps';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const WORDISH = /[\p{L}\p{N}]/u;

/** Unicode-normalizes, lower-cases and collapses whitespace so `115 °` and `115°` compare sensibly. */
export function normalizeForMatch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * True when `text` states the option with `letter`, as `(B)` (not inside a word such as `option(s)`),
 * or states the option text itself as a whole token sequence (`115°` does not match inside `1150`).
 */
export function statesOption(text: string, choice: Choice): boolean {
  return statesLetter(text, choice.letter) || statesOptionText(text, choice.text);
}

// `(X)` as an option letter: no letter or digit right before it, no letter right after it.
const LETTER_TOKEN = (letter: string) => new RegExp(`(?<![\\p{L}\\p{N}])\\(${letter}\\)(?!\\p{L})`, 'iu');
const ANY_LETTER_TOKEN = new RegExp(LETTER_TOKEN('[A-H]').source, 'giu');

/** True when `(X)` appears with no letter or digit right before it and no letter right after it. */
export function statesLetter(text: string, letter: OptionLetter): boolean {
  return LETTER_TOKEN(letter).test(text);
}

/** Letters of `choices` written as `(X)` in `text`, in option order. */
export function statedLetters(text: string, choices: Choice[]): OptionLetter[] {
  return choices.filter((c) => statesLetter(text, c.letter)).map((c) => c.letter);
}

// Characters that continue a number or word, so an option text next to one is part of a longer token:
// letters, digits, combining marks, and the symbols that glue math tokens (6√3, 6°, 6%, 6/7, 6×3, 2π, x^2).
const JOINS = /[\p{L}\p{N}\p{M}√∛∜^°′″%‰/_·×∠π]/u;

/**
 * True when the option text appears in `text` on token boundaries (`6` is not stated by `6√3`, `16`, `6.5`
 * or `-6`), outside `(X)` letter tokens (option text `D` is not stated by `(D)`, the letter). A one-letter
 * option text is matched case-sensitively, so option `A` is not the article `a`.
 */
export function statesOptionText(text: string, optionText: string): boolean {
  const oneLetter = /^\p{L}$/u.test(optionText.trim());
  const fold = (t: string) => (oneLetter ? t.normalize('NFKC').replace(/\s+/g, ' ').trim() : normalizeForMatch(t));
  const needle = fold(optionText);
  if (!needle) return false;
  const hay = fold(text.replace(ANY_LETTER_TOKEN, ' | '));
  const pattern = new RegExp(escape(needle), 'gu');
  const first = needle[0]!;
  const last = needle[needle.length - 1]!;
  for (const m of hay.matchAll(pattern)) {
    const before = hay.slice(0, m.index);
    const after = hay.slice(m.index + needle.length);
    const prev = before[before.length - 1];
    const next = after[0];
    if (WORDISH.test(first) && prev !== undefined && JOINS.test(prev)) continue;
    if (WORDISH.test(last) && next !== undefined && JOINS.test(next)) continue;
    if (/^\d/.test(needle) && /(?:^|[^\p{L}\p{N}])[-−]$/u.test(before)) continue;
    if (/\d$/.test(needle) && /^[.,]\d/.test(after)) continue;
    if (/^\d/.test(needle) && /\d[.,]$/.test(before)) continue;
    return true;
  }
  return false;
}

/** Letters of every option that `text` states, by letter or by text. */
export function statedOptions(text: string, choices: Choice[]): OptionLetter[] {
  return choices.filter((c) => statesOption(text, c)).map((c) => c.letter);
}

/**
 * The options a step concludes, as a reader takes them (its own `Step N` label aside, so `Step 3, ...` does
 * not state option "3"):
 * - exactly one explicit letter `(C)`: that option alone, even when the step compares it with the other
 *   options' texts ("6√3 is larger than 6 and 4, so (C)");
 * - otherwise every option stated by letter or text, unless that is every option of three or more: a step
 *   listing them all without choosing one concludes nothing.
 */
export function stepConclusion(step: string, choices: Choice[]): OptionLetter[] {
  const body = stripStepMarker(step);
  const letters = statedLetters(body, choices);
  if (letters.length === 1) return letters;
  const stated = statedOptions(body, choices);
  return choices.length > 2 && stated.length === choices.length ? [] : stated;
}

/** True when the step concludes with the option (see {@link stepConclusion}). */
export function concludesOption(step: string, choices: Choice[], letter: OptionLetter): boolean {
  return stepConclusion(step, choices).includes(letter);
}

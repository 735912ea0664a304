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

/** True when `(X)` appears with no letter or digit right before it and no letter right after it. */
export function statesLetter(text: string, letter: OptionLetter): boolean {
  return new RegExp(`(?<![\\p{L}\\p{N}])\\(${letter}\\)(?!\\p{L})`, 'iu').test(text);
}

/** True when the option text appears in `text` with token boundaries on both sides (decimals respected). */
export function statesOptionText(text: string, optionText: string): boolean {
  const needle = normalizeForMatch(optionText);
  if (!needle) return false;
  const hay = normalizeForMatch(text);
  const pattern = new RegExp(escape(needle), 'gu');
  for (const m of hay.matchAll(pattern)) {
    const before = hay.slice(0, m.index);
    const after = hay.slice(m.index + needle.length);
    if (WORDISH.test(needle[0]!) && /[\p{L}\p{N}]$/u.test(before)) continue;
    if (/^\d/.test(needle) && /(?:^|[^\p{L}\p{N}])[-−]$/u.test(before)) continue;
    if (/\d$/.test(needle) && /^[.,]\d/.test(after)) continue;
    if (/^\d/.test(needle) && /\d[.,]$/.test(before)) continue;
    if (WORDISH.test(needle[needle.length - 1]!) && /^[\p{L}\p{N}]/u.test(after)) continue;
    return true;
  }
  return false;
}

/** Letters of every option that `text` states. */
export function statedOptions(text: string, choices: Choice[]): OptionLetter[] {
  return choices.filter((c) => statesOption(text, c)).map((c) => c.letter);
}

/**
 * True when a step concludes with the option: it states it (its own `Step N` label aside, so
 * `Step 3, ...` does not state option "3"), and does not merely enumerate every option
 * (a step listing all of (A)..(D) concludes nothing).
 */
export function concludesOption(step: string, choices: Choice[], letter: OptionLetter): boolean {
  const stated = statedOptions(stripStepMarker(step), choices);
  if (!stated.includes(letter)) return false;
  return !(choices.length > 2 && stated.length === choices.length);
}

import type { RandomStream } from '@smart/types';
import type { Canvas } from './raster';

/** The question families of the synthetic task. */
export const SYNTHETIC_KINDS = ['count', 'most-colour', 'tallest-bar', 'most-sides', 'largest'] as const;

/** One question family. */
export type SyntheticKind = (typeof SYNTHETIC_KINDS)[number];

/** Resolved difficulty knobs (see `SyntheticTaskOptions` for their meaning and defaults). */
export interface SyntheticKnobs {
  imageSize: number;
  minObjects: number;
  maxObjects: number;
  distractorObjects: number;
  nearOptions: boolean;
  minBarGap: number;
  minSizeRatio: number;
}

/**
 * A question before letters are attached: 4 option texts in display order, the correct index, the
 * rationale steps that precede the conclusion, the fact the final step states, and the drawing.
 */
export interface KindDraft {
  question: string;
  /** The criterion word of a kind asked both ways (`smallest` / `largest`); absent for one-way kinds. */
  criterion?: string;
  /**
   * Every object ranked in one fixed direction whichever way the question asks (`from the largest, the circles
   * are red, blue and green.`), for kinds asked both ways: the `ranked-walk` rationale's first step.
   */
  ranking?: string;
  options: string[];
  answerIndex: number;
  steps: string[];
  finalFact: string;
  /**
   * The final fact as a rationale told that option `index` is the answer would state it (`there are 4 red
   * shapes` for a told `4`): `finalFact` itself at `answerIndex`.
   */
  toldFact(index: number): string;
  /** The ranking with option `index` moved to the end the question reads (swapped with the true answer); kinds with a `ranking`. */
  toldRanking?(index: number): string;
  draw(canvas: Canvas): void;
}

/** Makes one draft from the RNG, or null when the drawn scene does not fit (the caller redraws). */
export type KindGenerator = (rng: RandomStream, knobs: SyntheticKnobs) => KindDraft | null;

/** `1 shape`, `3 shapes`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Swaps every whole-word `a` with `b` and `b` with `a` in `text` (`red` and `blue` in a ranking); when `b` is
 * absent, `a` is replaced by it.
 */
function swapWords(text: string, a: string, b: string): string {
  if (a === b) return text;
  const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`\\b(${escape(a)}|${escape(b)})\\b`, 'g'), (w) => (w === a ? b : a));
}

/**
 * `toldFact` / `toldRanking` of a kind whose options are colours: the told colour swapped with the answer `win`
 * in the final fact and the ranking.
 */
export function swappedColour(win: string, options: readonly string[], texts: { finalFact: string; ranking?: string }): Pick<KindDraft, 'toldFact' | 'toldRanking'> {
  const { finalFact, ranking } = texts;
  return {
    toldFact: (i) => swapWords(finalFact, win, options[i]!),
    ...(ranking === undefined ? {} : { toldRanking: (i: number) => swapWords(ranking, win, options[i]!) }),
  };
}

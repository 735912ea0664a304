import { createRng } from '@smart/core';
import { createHash } from 'node:crypto';
import { Jimp, PNGFilterType } from 'jimp';
import { OPTION_LETTERS, type OptionLetter, type Sample } from '@smart/types';
import { SyntheticConfigError, SyntheticExhaustedError } from '../errors';
import { largestKind, mostSidesKind, tallestBarKind } from './comparison-kinds';
import { countKind, mostColourKind } from './counting-kinds';
import { SYNTHETIC_KINDS, type KindDraft, type KindGenerator, type SyntheticKind } from './kind-draft';
import { MATHV360K_HINT, mathV360KGptTurn, mathV360KHumanTurn } from './mathv360k-format';

/** Options of the synthetic visual-reasoning task. Only `seed`, `train` and `heldOut` are required. */
export interface SyntheticTaskOptions {
  /** Same seed and options → byte-identical items, images and files. */
  seed: number | string;
  /** Number of training items. */
  train: number;
  /** Number of held-out items (never identical in question + image to a training item). */
  heldOut: number;
  /** Question families to use, cycled in order (default: all of SYNTHETIC_KINDS). */
  kinds?: readonly SyntheticKind[];
  /** Square image side in pixels (default 96; 32–512). */
  imageSize?: number;
  /** Fewest target objects in counting questions (default 1). */
  minObjects?: number;
  /** Most target objects in counting questions (default 6). */
  maxObjects?: number;
  /** Most extra objects of other colours in counting questions (default 3). */
  distractorObjects?: number;
  /** Count options are neighbours of the answer (harder, default true) rather than spread out. */
  nearOptions?: boolean;
  /** Smallest height difference between bars, as a fraction of the image side (default 0.06). */
  minBarGap?: number;
  /** Smallest size ratio between shapes compared by size (default 1.25). */
  minSizeRatio?: number;
  /**
   * Template rationale: `option-walk` (default) states the fact, walks the options up to the right one
   * (`(A) 4 no, (B) 5 yes.`), then concludes in its own step (a final step naming every option would
   * conclude nothing for the conclusion filter); tiny models learn the letter from the walk.
   * `full-walk` walks all four options (`(A) 4 no, (B) 5 yes, (C) 6 no, (D) 3 no.`), so a rationale's
   * length does not depend on its answer (a preference pair then differs in the fact and the marks, not in
   * how far it walks). `explain` gives the kind's explanatory steps and names the letter only after the fact.
   * `ranked-walk` is `option-walk` with a first step that ranks every object in one fixed direction (`from
   * the largest, the circles are red, blue and green.`) on the kinds asked both ways, so "smallest" and
   * "largest" read the same ranking from opposite ends.
   */
  rationaleStyle?: RationaleStyle;
}

/** Shape of the template rationales (see `SyntheticTaskOptions.rationaleStyle`). */
export type RationaleStyle = 'option-walk' | 'full-walk' | 'explain' | 'ranked-walk';

/** The rationale styles, in order of preference. */
export const RATIONALE_STYLES: readonly RationaleStyle[] = ['option-walk', 'full-walk', 'explain', 'ranked-walk'];

/** Which split an item belongs to. */
export type SyntheticSplit = 'train' | 'held-out';

/** One generated item: the sample, its MathV360K turns, a template AoT rationale and the PNG image. */
export interface SyntheticItem {
  sample: Sample;
  kind: SyntheticKind;
  /** The question variant (`meta.question` of its record): the kind, with its criterion where it is asked both ways (`largest/smallest`). */
  variant: string;
  split: SyntheticSplit;
  /** MathV360K human turn (`<image>\nHint: ...\nQuestion: ...\nChoices:\n(A) ...`). */
  human: string;
  /** MathV360K gpt turn (`The answer is X`). */
  gpt: string;
  /** `Step 1, ... Step N, ... so the answer is (X) text.` */
  rationale: string;
  /**
   * Per option letter, the template rationale concluding that option: `rationale` at the answer, and at every
   * other letter the persuasive wrong one a model told that option is the answer writes (its fact names it).
   */
  toldRationales: Record<string, string>;
  /** PNG bytes of the image (`sample.image.path` is where the writer puts them). */
  png: Uint8Array;
}

/** The generated task: both splits and the resolved options. */
export interface SyntheticTask {
  train: SyntheticItem[];
  heldOut: SyntheticItem[];
  options: Required<SyntheticTaskOptions>;
}

// Flat-colour images deflate well unfiltered, and pngjs's adaptive filter search is ~50x slower.
const PNG_OPTIONS = { filterType: PNGFilterType.NONE };

const GENERATORS: Record<SyntheticKind, KindGenerator> = {
  count: countKind,
  'most-colour': mostColourKind,
  'tallest-bar': tallestBarKind,
  'most-sides': mostSidesKind,
  largest: largestKind,
};

/**
 * Generates the synthetic task. The held-out split is drawn first from its own seeded stream, so it
 * does not change when `train` changes; training items identical (question + pixels) to a held-out
 * item or to an earlier training item are redrawn.
 */
export async function generateSyntheticTask(options: SyntheticTaskOptions): Promise<SyntheticTask> {
  const resolved = resolveOptions(options);
  const taken = new Set<string>();
  const heldOut = await generateSplit(resolved, 'held-out', resolved.heldOut, taken);
  const train = await generateSplit(resolved, 'train', resolved.train, taken);
  return { train, heldOut, options: resolved };
}

async function generateSplit(o: Required<SyntheticTaskOptions>, split: SyntheticSplit, wanted: number, taken: Set<string>): Promise<SyntheticItem[]> {
  const rng = createRng(o.seed).stream(`synthetic/${split}`);
  const items: SyntheticItem[] = [];
  const maxAttempts = wanted * 20 + 100;
  for (let attempt = 0; items.length < wanted; attempt++) {
    if (attempt >= maxAttempts) throw new SyntheticExhaustedError(split, wanted, items.length);
    const kind = o.kinds[items.length % o.kinds.length]!;
    const draft = GENERATORS[kind](rng, o);
    if (!draft) continue;
    const image = new Jimp({ width: o.imageSize, height: o.imageSize, color: 0xffffffff });
    draft.draw(image.bitmap);
    const key = contentKey(draft, image.bitmap.data);
    if (taken.has(key)) continue;
    taken.add(key);
    const id = `syn-${split}-${String(items.length).padStart(5, '0')}`;
    items.push(toItem(draft, kind, split, id, o.rationaleStyle, await image.getBuffer('image/png', PNG_OPTIONS)));
  }
  return items;
}

function toItem(d: KindDraft, kind: SyntheticKind, split: SyntheticSplit, id: string, style: RationaleStyle, png: Uint8Array): SyntheticItem {
  const answer = OPTION_LETTERS[d.answerIndex] as OptionLetter | undefined;
  if (!answer || d.options.length !== 4 || new Set(d.options).size !== 4) {
    throw new Error(`internal: ${kind} produced an invalid option set ${JSON.stringify(d.options)} (answer index ${d.answerIndex})`);
  }
  const choices = d.options.map((text, i) => ({ letter: OPTION_LETTERS[i]!, text }));
  const variant = d.criterion === undefined ? kind : `${kind}/${d.criterion}`;
  const toldRationales = Object.fromEntries(d.options.map((_, i) => [OPTION_LETTERS[i]!, rationaleFor(d, style, i)]));
  return {
    sample: {
      id,
      image: { path: `images/${id}.png` },
      question: d.question,
      hint: MATHV360K_HINT,
      choices,
      answer,
      source: 'synthetic',
      meta: { kind, question: variant, split },
    },
    kind,
    variant,
    split,
    human: mathV360KHumanTurn(d.question, d.options),
    gpt: mathV360KGptTurn(answer),
    rationale: toldRationales[answer]!,
    toldRationales,
    png,
  };
}

// The template rationale concluding option `index`: the true one at `answerIndex`, otherwise the one a model told
// that option is the answer would write (its fact and ranking name the told option; `explain` keeps only the fact).
function rationaleFor(d: KindDraft, style: RationaleStyle, index: number): string {
  const told = index !== d.answerIndex;
  const fact = told ? d.toldFact(index) : d.finalFact;
  const conclusion = `so the answer is (${OPTION_LETTERS[index]!}) ${d.options[index]!}.`;
  const walked = [`${fact}.`, `${optionWalk(d.options, index, style === 'full-walk' ? 4 : index + 1)}.`, conclusion];
  const ranking = told ? d.toldRanking?.(index) : d.ranking;
  const steps =
    style === 'explain' ? [...(told ? [] : d.steps), `${fact}, ${conclusion}`] : style === 'ranked-walk' && ranking ? [ranking, ...walked] : walked;
  return steps.map((s, i) => `Step ${i + 1}, ${s}`).join(' ');
}

// `(A) 4 no, (B) 5 yes`: the first `count` options marked, so the letter is read off the walk, not recalled.
function optionWalk(options: string[], yes: number, count: number): string {
  return options
    .slice(0, count)
    .map((text, i) => `(${OPTION_LETTERS[i]!}) ${text} ${i === yes ? 'yes' : 'no'}`)
    .join(', ');
}

// Identity of an item across splits: the question with its options and the exact pixels.
function contentKey(d: KindDraft, rgba: Uint8Array): string {
  return createHash('sha256').update(`${d.question}\n${d.options.join('\n')}\n`).update(rgba).digest('hex');
}

/** Default difficulty of the synthetic task; `generateSyntheticTask` fills omitted options from it. */
export const SYNTHETIC_DEFAULTS = {
  imageSize: 96,
  minObjects: 1,
  maxObjects: 6,
  distractorObjects: 3,
  nearOptions: true,
  minBarGap: 0.06,
  minSizeRatio: 1.25,
  rationaleStyle: 'option-walk',
} as const satisfies Omit<Required<SyntheticTaskOptions>, 'seed' | 'train' | 'heldOut' | 'kinds'>;

/** Accepted ranges of the numeric difficulty options (inclusive, except `minBarGap`'s lower end, which must be exceeded). */
export const SYNTHETIC_LIMITS = {
  imageSize: { min: 32, max: 512 },
  minObjects: { min: 0, max: 20 },
  maxObjects: { min: 1, max: 20 },
  distractorObjects: { min: 0, max: 20 },
  minBarGap: { min: 0, max: 0.2 },
  minSizeRatio: { min: 1.05, max: 1.6 },
} as const;

function resolveOptions(o: SyntheticTaskOptions): Required<SyntheticTaskOptions> {
  const r: Required<SyntheticTaskOptions> = {
    seed: o.seed,
    train: o.train,
    heldOut: o.heldOut,
    kinds: o.kinds ?? SYNTHETIC_KINDS,
    imageSize: o.imageSize ?? SYNTHETIC_DEFAULTS.imageSize,
    minObjects: o.minObjects ?? SYNTHETIC_DEFAULTS.minObjects,
    maxObjects: o.maxObjects ?? SYNTHETIC_DEFAULTS.maxObjects,
    distractorObjects: o.distractorObjects ?? SYNTHETIC_DEFAULTS.distractorObjects,
    nearOptions: o.nearOptions ?? SYNTHETIC_DEFAULTS.nearOptions,
    minBarGap: o.minBarGap ?? SYNTHETIC_DEFAULTS.minBarGap,
    minSizeRatio: o.minSizeRatio ?? SYNTHETIC_DEFAULTS.minSizeRatio,
    rationaleStyle: o.rationaleStyle ?? SYNTHETIC_DEFAULTS.rationaleStyle,
  };
  const int = (name: keyof SyntheticTaskOptions, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new SyntheticConfigError(name, `must be an integer in [${lo}, ${hi}], got ${v}`);
  };
  int('train', r.train, 0, 10_000_000);
  int('heldOut', r.heldOut, 0, 10_000_000);
  const L = SYNTHETIC_LIMITS;
  int('imageSize', r.imageSize, L.imageSize.min, L.imageSize.max);
  int('minObjects', r.minObjects, L.minObjects.min, L.minObjects.max);
  int('maxObjects', r.maxObjects, Math.max(L.maxObjects.min, r.minObjects), L.maxObjects.max);
  int('distractorObjects', r.distractorObjects, L.distractorObjects.min, L.distractorObjects.max);
  if (!(r.minBarGap > L.minBarGap.min && r.minBarGap <= L.minBarGap.max)) throw new SyntheticConfigError('minBarGap', `must be in (${L.minBarGap.min}, ${L.minBarGap.max}], got ${r.minBarGap}`);
  if (!(r.minSizeRatio >= L.minSizeRatio.min && r.minSizeRatio <= L.minSizeRatio.max)) throw new SyntheticConfigError('minSizeRatio', `must be in [${L.minSizeRatio.min}, ${L.minSizeRatio.max}], got ${r.minSizeRatio}`);
  if (!RATIONALE_STYLES.includes(r.rationaleStyle)) throw new SyntheticConfigError('rationaleStyle', `must be one of ${RATIONALE_STYLES.join(', ')}, got ${String(r.rationaleStyle)}`);
  if (r.kinds.length === 0) throw new SyntheticConfigError('kinds', 'needs at least one question kind');
  for (const k of r.kinds) if (!SYNTHETIC_KINDS.includes(k)) throw new SyntheticConfigError('kinds', `unknown kind ${String(k)}`);
  return r;
}

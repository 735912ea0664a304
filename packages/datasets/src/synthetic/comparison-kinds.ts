import type { RandomStream } from '@smart/types';
import { swappedColour, type KindDraft, type SyntheticKnobs } from './kind-draft';
import { drawShape, placeDiscs, SHAPE_SIDES, type PlacedShape, type ShapeName } from './layout';
import { listPhrase, pickColours } from './palette';
import { fillRect } from './raster';
import { intBetween } from './int-between';

const AXIS_GREY = [150, 150, 150] as const;

/** "Which colour is the tallest (shortest) bar?": a 4-bar chart with heights at least `minBarGap` apart. */
export function tallestBarKind(rng: RandomStream, k: SyntheticKnobs): KindDraft | null {
  const size = k.imageSize;
  const bars = 4;
  const colours = pickColours(rng, bars);
  const gap = Math.max(2, Math.round(k.minBarGap * size));
  const lo = Math.round(size * 0.12);
  const hi = Math.round(size * 0.8);
  // Distinct heights with a minimum gap: sorted draws, then spread apart and shuffled over positions.
  const span = hi - lo - gap * (bars - 1);
  if (span < 0) return null;
  const base = Array.from({ length: bars }, () => rng.int(span + 1)).sort((a, b) => a - b);
  const heights = rng.shuffle(base.map((b, i) => lo + b + i * gap));
  const shortest = rng.next() < 0.5;
  // One ranking, tallest first (heights are distinct); the question reads it from its own end.
  const byHeight = heights.map((h, i) => ({ h, i })).sort((a, b) => b.h - a.h);
  const order = shortest ? [...byHeight].reverse() : byHeight;
  const win = colours[order[0]!.i]!.name;
  const runnerUp = colours[order[1]!.i]!.name;

  const baseline = Math.round(size * 0.92);
  const slot = Math.floor((size * 0.84) / bars);
  const barW = Math.max(2, Math.round(slot * 0.7));
  const left = Math.round(size * 0.08);
  const options = rng.shuffle(colours.map((c) => c.name));
  const word = shortest ? 'shortest' : 'tallest';
  const ranking = `from the tallest, the bars are ${listPhrase(byHeight.map((b) => colours[b.i]!.name))}.`;
  const finalFact = `the ${word} bar is ${win}`;
  return {
    question: `Which colour is the ${word} bar in the bar chart?`,
    criterion: word,
    ranking,
    options,
    answerIndex: options.indexOf(win),
    steps: [
      `the chart has ${bars} bars, from left to right: ${listPhrase(colours.map((c) => c.name))}.`,
      `the ${win} bar is ${shortest ? 'lower' : 'higher'} than every other bar; the closest to it is the ${runnerUp} bar.`,
    ],
    finalFact,
    ...swappedColour(win, options, { finalFact, ranking }),
    draw: (c) => {
      fillRect(c, left - 2, baseline, size - 2 * left + 4, 1, AXIS_GREY);
      heights.forEach((h, i) => fillRect(c, left + i * slot + Math.floor((slot - barW) / 2), baseline - h, barW, h, colours[i]!.rgb));
    },
  };
}

const POLYGONS: ShapeName[] = ['triangle', 'square', 'pentagon', 'hexagon'];

/** "What colour is the shape with the most (fewest) sides?": 3–4 different polygons in different colours. */
export function mostSidesKind(rng: RandomStream, k: SyntheticKnobs): KindDraft | null {
  const n = intBetween(rng, 3, 4);
  const kinds = rng.shuffle(POLYGONS).slice(0, n);
  const colours = pickColours(rng, 4);
  const r = Math.max(4, k.imageSize * 0.17);
  const centres = placeDiscs(
    rng,
    k.imageSize,
    kinds.map(() => r),
  );
  if (!centres) return null;
  const shapes: PlacedShape[] = centres.map((p, i) => ({ ...p, r, shape: kinds[i]!, rgb: colours[i]!.rgb }));
  const fewest = rng.next() < 0.5;
  // One ranking, most sides first (the polygons differ); the question reads it from its own end.
  const bySides = kinds.map((s, i) => ({ s, i })).sort((a, b) => SHAPE_SIDES[b.s] - SHAPE_SIDES[a.s]);
  const ranked = fewest ? [...bySides].reverse() : bySides;
  const best = ranked[0]!;
  const win = colours[best.i]!.name;
  const options = rng.shuffle(colours.map((c) => c.name));
  const word = fewest ? 'fewest' : 'most';
  const ranking = `from the most sides, the shapes are ${listPhrase(bySides.map((b) => `the ${colours[b.i]!.name} ${b.s}`))}.`;
  const finalFact = `the ${win} ${best.s} has the ${word} sides`;
  return {
    question: `What colour is the shape with the ${word} sides?`,
    criterion: word,
    ranking,
    options,
    answerIndex: options.indexOf(win),
    steps: [`the shapes are ${listPhrase(kinds.map((s, i) => `a ${colours[i]!.name} ${s} with ${SHAPE_SIDES[s]} sides`))}.`],
    finalFact,
    ...swappedColour(win, options, { finalFact, ranking }),
    draw: (c) => shapes.forEach((s) => drawShape(c, s)),
  };
}

const SIZED: ShapeName[] = ['circle', 'square', 'triangle'];

/** "What colour is the largest (smallest) circle?": 3–4 shapes of one kind whose sizes differ by at least `minSizeRatio`. */
export function largestKind(rng: RandomStream, k: SyntheticKnobs): KindDraft | null {
  const n = intBetween(rng, 3, 4);
  const shape = SIZED[rng.int(SIZED.length)]!;
  const colours = pickColours(rng, 4);
  const rMax = k.imageSize * 0.22;
  const rMin = Math.max(3, k.imageSize * 0.06);
  // Geometric ladder of radii from rMin, each at least minSizeRatio times the previous, with random slack.
  const radii: number[] = [];
  let r = rMin * (1 + rng.next() * 0.3);
  for (let i = 0; i < n; i++) {
    radii.push(r);
    r = r * k.minSizeRatio * (1 + rng.next() * 0.25);
  }
  if (radii[n - 1]! > rMax) return null;
  const shuffled = rng.shuffle(radii);
  const centres = placeDiscs(rng, k.imageSize, shuffled);
  if (!centres) return null;
  const shapes: PlacedShape[] = centres.map((p, i) => ({ ...p, r: shuffled[i]!, shape, rgb: colours[i]!.rgb }));
  const smallest = rng.next() < 0.5;
  // One ranking, largest first (radii are distinct); the question reads it from its own end.
  const bySize = shuffled.map((rad, i) => ({ rad, i })).sort((a, b) => b.rad - a.rad);
  const ranked = smallest ? [...bySize].reverse() : bySize;
  const win = colours[ranked[0]!.i]!.name;
  const runnerUp = colours[ranked[1]!.i]!.name;
  const options = rng.shuffle(colours.map((c) => c.name));
  const word = smallest ? 'smallest' : 'largest';
  const ranking = `from the largest, the ${shape}s are ${listPhrase(bySize.map((b) => colours[b.i]!.name))}.`;
  const finalFact = `the ${word} ${shape} is ${win}`;
  return {
    question: `What colour is the ${word} ${shape}?`,
    criterion: word,
    ranking,
    options,
    answerIndex: options.indexOf(win),
    steps: [
      `there are ${n} ${shape}s: ${listPhrase(colours.slice(0, n).map((c) => c.name))}.`,
      `comparing their sizes, the ${win} ${shape} is ${smallest ? 'smaller' : 'larger'} than the others; the next one is the ${runnerUp} ${shape}.`,
    ],
    finalFact,
    ...swappedColour(win, options, { finalFact, ranking }),
    draw: (c) => shapes.forEach((s) => drawShape(c, s)),
  };
}

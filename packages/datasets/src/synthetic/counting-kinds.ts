import type { RandomStream } from '@smart/types';
import { plural, swappedColour, type KindDraft, type SyntheticKnobs } from './kind-draft';
import { drawShape, placeDiscs, radiusFor, type PlacedShape, type ShapeName } from './layout';
import { listPhrase, pickColours, PALETTE, type NamedColour } from './palette';
import { intBetween } from './int-between';

const COUNT_SHAPES: ShapeName[] = ['circle', 'square', 'triangle'];

/** "How many red shapes are there?": target-colour shapes among distractor shapes of other colours. */
export function countKind(rng: RandomStream, k: SyntheticKnobs): KindDraft | null {
  const [target, ...others] = pickColours(rng, PALETTE.length) as [NamedColour, ...NamedColour[]];
  const n = intBetween(rng, k.minObjects, k.maxObjects);
  const d = intBetween(rng, 0, k.distractorObjects);
  const colours = [...Array<NamedColour>(n).fill(target), ...Array.from({ length: d }, () => others[rng.int(others.length)]!)];
  const shapes = placeShapes(rng, k.imageSize, colours);
  if (!shapes) return null;

  const values = numericOptions(rng, n, k);
  const otherNames = [...new Set(colours.slice(n).map((c) => c.name))];
  const steps = [`I look for the ${target.name} shapes in the image and find ${n === 0 ? 'none' : n === 1 ? 'one' : `${n} of them`}.`];
  steps.push(
    d === 0
      ? 'there are no shapes of any other colour.'
      : d === 1
        ? `the other shape is ${otherNames[0]}, so it is not counted.`
        : `the other ${d} shapes are ${listPhrase(otherNames)}, so they are not counted.`,
  );
  return {
    question: `How many ${target.name} shapes are there in the image?`,
    options: values.map(String),
    answerIndex: values.indexOf(n),
    steps,
    finalFact: countFact(n, target.name),
    toldFact: (i) => countFact(values[i]!, target.name),
    draw: (c) => shapes.forEach((s) => drawShape(c, s)),
  };
}

/** "Which colour has the most shapes?": 2–3 colours with distinct counts, options padded with absent colours. */
export function mostColourKind(rng: RandomStream, k: SyntheticKnobs): KindDraft | null {
  const budget = Math.max(3, k.maxObjects + k.distractorObjects);
  const present = intBetween(rng, 2, budget >= 6 ? 3 : 2);
  const counts: number[] = [];
  // Distinct counts so the answer is unique: top count first, the rest strictly below it.
  const top = intBetween(rng, present, Math.max(present, Math.min(budget - (present - 1), k.maxObjects)));
  counts.push(top);
  const pool = rng.shuffle(Array.from({ length: top - 1 }, (_, i) => i + 1)).slice(0, present - 1);
  counts.push(...pool.sort((a, b) => b - a));
  if (counts.length < present) return null;

  const colours = pickColours(rng, 4);
  const withCounts = counts.map((c, i) => ({ colour: colours[i]!, count: c }));
  const list = withCounts.flatMap(({ colour, count }) => Array<NamedColour>(count).fill(colour));
  const shapes = placeShapes(rng, k.imageSize, rng.shuffle(list));
  if (!shapes) return null;

  const options = rng.shuffle(colours.map((c) => c.name));
  const winner = colours[0]!.name;
  const absent = colours.slice(present).map((c) => c.name);
  const finalFact = `${winner} has the most shapes`;
  const steps = [`I count the shapes of each colour: ${listPhrase(withCounts.map(({ colour, count }) => `${count} ${colour.name}`))}.`];
  if (absent.length) steps.push(`there are no ${listPhrase(absent)} shapes.`);
  return {
    question: 'Which colour has the most shapes in the image?',
    options,
    answerIndex: options.indexOf(winner),
    steps,
    finalFact,
    ...swappedColour(winner, options, { finalFact }),
    draw: (c) => shapes.forEach((s) => drawShape(c, s)),
  };
}

function countFact(n: number, colour: string): string {
  return `there ${n === 1 ? 'is' : 'are'} ${plural(n, `${colour} shape`)}`;
}

function placeShapes(rng: RandomStream, size: number, colours: NamedColour[]): PlacedShape[] | null {
  const r = radiusFor(size, colours.length);
  const centres = placeDiscs(
    rng,
    size,
    colours.map(() => r),
  );
  if (!centres) return null;
  return centres.map((p, i) => ({ ...p, r, rgb: colours[i]!.rgb, shape: COUNT_SHAPES[rng.int(COUNT_SHAPES.length)]! }));
}

// Four distinct counts containing `n`, ascending: a window of neighbours (`nearOptions`) or spread values.
function numericOptions(rng: RandomStream, n: number, k: SyntheticKnobs): number[] {
  if (k.nearOptions) {
    const start = intBetween(rng, Math.max(0, n - 3), n);
    return [start, start + 1, start + 2, start + 3];
  }
  const values = new Set([n]);
  const hi = Math.max(k.maxObjects + 4, 8);
  while (values.size < 4) values.add(intBetween(rng, 0, hi));
  return [...values].sort((a, b) => a - b);
}

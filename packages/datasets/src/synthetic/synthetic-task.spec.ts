import { createHash } from 'node:crypto';
import { concludesOption, finalStep, parseMathV360K, splitSteps, stripStepMarker } from '@smart/aot-prompts';
import { SyntheticConfigError } from '../errors';
import { decodePng } from '../../test/decode-png';
import { PALETTE } from './palette';
import { generateSyntheticTask, type SyntheticItem } from './synthetic-task';

const rgbOf = (name: string) => PALETTE.find((p) => p.name === name)!.rgb;
const identity = (it: SyntheticItem) => `${it.human}\n${createHash('sha256').update(it.png).digest('hex')}`;

/** 8-connected components of pixels exactly equal to `rgb`. */
function components(bm: { width: number; height: number; data: Uint8Array }, rgb: readonly number[]): number {
  const { width: w, height: h, data } = bm;
  const on = (x: number, y: number) => {
    const o = (y * w + x) * 4;
    return data[o] === rgb[0] && data[o + 1] === rgb[1] && data[o + 2] === rgb[2];
  };
  const seen = new Uint8Array(w * h);
  let n = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (seen[y * w + x] || !on(x, y)) continue;
      n++;
      const stack = [[x, y]];
      seen[y * w + x] = 1;
      while (stack.length) {
        const [cx, cy] = stack.pop()!;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const nx = cx! + dx;
            const ny = cy! + dy;
            if (nx < 0 || ny < 0 || nx >= w || ny >= h || seen[ny * w + nx] || !on(nx, ny)) continue;
            seen[ny * w + nx] = 1;
            stack.push([nx, ny]);
          }
        }
      }
    }
  }
  return n;
}

/** Height in pixels of the coloured column (number of rows containing the colour). */
function rowsWith(bm: { width: number; height: number; data: Uint8Array }, rgb: readonly number[]): number {
  let rows = 0;
  for (let y = 0; y < bm.height; y++) {
    for (let x = 0; x < bm.width; x++) {
      const o = (y * bm.width + x) * 4;
      if (bm.data[o] === rgb[0] && bm.data[o + 1] === rgb[1] && bm.data[o + 2] === rgb[2]) {
        rows++;
        break;
      }
    }
  }
  return rows;
}

describe('generateSyntheticTask', () => {
  let task: Awaited<ReturnType<typeof generateSyntheticTask>>;
  beforeAll(async () => {
    task = await generateSyntheticTask({ seed: 7, train: 150, heldOut: 50 });
  });

  it('is deterministic from the seed, byte for byte', async () => {
    const again = await generateSyntheticTask({ seed: 7, train: 150, heldOut: 50 });
    expect(again.train.map(identity)).toEqual(task.train.map(identity));
    expect(again.heldOut.map((i) => i.rationale)).toEqual(task.heldOut.map((i) => i.rationale));
    expect(Buffer.compare(Buffer.from(again.train[3]!.png), Buffer.from(task.train[3]!.png))).toBe(0);
    const other = await generateSyntheticTask({ seed: 8, train: 20, heldOut: 5 });
    expect(other.train.map(identity).filter((k) => task.train.map(identity).includes(k))).toEqual([]);
  });

  it('keeps splits disjoint and the held-out split independent of the train size', async () => {
    const train = new Set(task.train.map(identity));
    expect(train.size).toBe(150);
    expect(task.heldOut.filter((it) => train.has(identity(it)))).toEqual([]);
    expect(new Set(task.heldOut.map(identity)).size).toBe(50);
    const smaller = await generateSyntheticTask({ seed: 7, train: 10, heldOut: 50 });
    expect(smaller.heldOut.map(identity)).toEqual(task.heldOut.map(identity));
    expect(new Set(task.train.map((i) => i.sample.id)).size).toBe(150);
    expect(task.heldOut[0]!.sample.id).toBe('syn-held-out-00000');
  });

  it('writes questions in the exact MathV360K format that the parser reads back', () => {
    const it0 = task.train[0]!;
    expect(it0.human).toMatch(
      /^<image>\nHint: Please answer the question and provide the correct option letter, e\.g\., A, B, C, D, at the end\.\nQuestion: [^\n]+\?\nChoices:\n\(A\) [^\n]+\n\(B\) [^\n]+\n\(C\) [^\n]+\n\(D\) [^\n]+$/,
    );
    for (const it of [...task.train, ...task.heldOut]) {
      expect(it.gpt).toBe(`The answer is ${it.sample.answer}`);
      const parsed = parseMathV360K(it.human, it.gpt);
      expect(parsed).toEqual({ ok: true, item: { question: it.sample.question, hint: it.sample.hint, choices: it.sample.choices, answer: it.sample.answer } });
    }
    const letters = new Set(task.train.map((i) => i.sample.answer));
    expect([...letters].sort()).toEqual(['A', 'B', 'C', 'D']);
    expect(new Set(task.train.map((i) => i.kind)).size).toBe(5);
  });

  it('walks the options up to the answer in the default rationale, after stating the fact', () => {
    for (const it of task.train) {
      const answerIndex = it.sample.choices.findIndex((c) => c.letter === it.sample.answer);
      const steps = splitSteps(it.rationale);
      expect(steps).toHaveLength(3);
      expect(it.rationale.startsWith('Step 1, ')).toBe(true);
      const walk = it.sample.choices
        .slice(0, answerIndex + 1)
        .map((c, i) => `(${c.letter}) ${c.text} ${i === answerIndex ? 'yes' : 'no'}`)
        .join(', ');
      expect(stripStepMarker(steps[1]!.text)).toBe(`${walk}.`);
      expect(stripStepMarker(finalStep(it.rationale))).toBe(`so the answer is (${it.sample.answer}) ${it.sample.choices[answerIndex]!.text}.`);
      // Options after the answer are never named, so the last "(X)" is the answer's letter.
      for (const c of it.sample.choices.slice(answerIndex + 1)) expect(it.rationale).not.toContain(`(${c.letter})`);
      expect(concludesOption(finalStep(it.rationale), it.sample.choices, it.sample.answer)).toBe(true);
    }
    const count = task.train.find((i) => i.kind === 'count')!;
    const n = count.sample.choices.find((c) => c.letter === count.sample.answer)!.text;
    expect(count.rationale).toMatch(new RegExp(`^Step 1, there (is|are) ${n} \\w+ shapes?\\. Step 2, \\(A\\) `));
  });

  it('walks all four options in the full-walk rationale, so its shape does not depend on the answer', async () => {
    const walked = await generateSyntheticTask({ seed: 7, train: 60, heldOut: 0, rationaleStyle: 'full-walk' });
    const answers = new Set<string>();
    for (const it of walked.train) {
      const answerIndex = it.sample.choices.findIndex((c) => c.letter === it.sample.answer);
      answers.add(it.sample.answer);
      const steps = splitSteps(it.rationale);
      expect(steps).toHaveLength(3);
      const walk = it.sample.choices.map((c, i) => `(${c.letter}) ${c.text} ${i === answerIndex ? 'yes' : 'no'}`).join(', ');
      expect(stripStepMarker(steps[1]!.text)).toBe(`${walk}.`);
      expect(stripStepMarker(finalStep(it.rationale))).toBe(`so the answer is (${it.sample.answer}) ${it.sample.choices[answerIndex]!.text}.`);
      expect(concludesOption(finalStep(it.rationale), it.sample.choices, it.sample.answer)).toBe(true);
    }
    expect([...answers].sort()).toEqual(['A', 'B', 'C', 'D']);
  });

  it('ranks every object one fixed way in the ranked-walk rationale, so min and max questions read opposite ends', async () => {
    const ranked = await generateSyntheticTask({ seed: 7, train: 100, heldOut: 0, rationaleStyle: 'ranked-walk' });
    const plain = await generateSyntheticTask({ seed: 7, train: 100, heldOut: 0 });
    const ends = new Set<string>();
    ranked.train.forEach((it, i) => {
      const answerText = it.sample.choices.find((c) => c.letter === it.sample.answer)!.text;
      const steps = splitSteps(it.rationale).map((s) => stripStepMarker(s.text));
      if (it.kind === 'count' || it.kind === 'most-colour') {
        expect(it.rationale).toBe(plain.train[i]!.rationale); // asked one way: option-walk as is
        return;
      }
      expect(steps).toHaveLength(4);
      expect(it.rationale).toBe(`Step 1, ${steps[0]} ${plain.train[i]!.rationale.replace(/Step (\d)/g, (_, n: string) => `Step ${Number(n) + 1}`)}`);
      const m = /^from the (tallest|largest|most sides), the (?:bars|shapes|\w+s) are (.*)\.$/.exec(steps[0]!);
      expect(m).not.toBeNull();
      const colours = m![2]!.split(/, | and /).map((x) => x.replace(/^the (\w+) \w+$/, '$1'));
      const min = /smallest|shortest|fewest/.test(it.sample.question);
      expect(colours[min ? colours.length - 1 : 0]).toBe(answerText);
      ends.add(`${it.kind} ${min ? 'min' : 'max'}`);
    });
    expect([...ends].sort()).toEqual(['largest max', 'largest min', 'most-sides max', 'most-sides min', 'tallest-bar max', 'tallest-bar min']);
  });

  it('writes, per wrong option, the rationale a model told that option would write: its fact, ranking and walk name it', async () => {
    for (const style of ['option-walk', 'ranked-walk', 'full-walk', 'explain'] as const) {
      const told = await generateSyntheticTask({ seed: 11, train: 60, heldOut: 0, rationaleStyle: style });
      for (const it of told.train) {
        const { choices, answer } = it.sample;
        expect(Object.keys(it.toldRationales).sort()).toEqual(choices.map((c) => c.letter));
        expect(it.toldRationales[answer]).toBe(it.rationale);
        const trueText = choices.find((c) => c.letter === answer)!.text;
        for (const c of choices.filter((x) => x.letter !== answer)) {
          const r = it.toldRationales[c.letter]!;
          expect(r).not.toBe(it.rationale);
          expect(stripStepMarker(finalStep(r))).toMatch(new RegExp(`^(.*, )?so the answer is \\(${c.letter}\\) ${c.text}\\.$`));
          expect(concludesOption(finalStep(r), choices, c.letter)).toBe(true);
          const steps = splitSteps(r).map((s) => stripStepMarker(s.text));
          const fact = steps[style === 'ranked-walk' && steps.length === 4 ? 1 : 0]!;
          if (it.kind === 'count') expect(fact).toMatch(new RegExp(`^there (is|are) ${c.text} \\w+ shapes?[.,]`));
          else {
            expect(fact.split(/\W+/)).toContain(c.text);
            expect(fact.split(/\W+/)).not.toContain(trueText);
          }
          if (style !== 'explain') {
            const walk = choices.slice(0, style === 'full-walk' ? 4 : choices.indexOf(c) + 1);
            expect(r).toContain(walk.map((w) => `(${w.letter}) ${w.text} ${w === c ? 'yes' : 'no'}`).join(', '));
          }
          if (style === 'ranked-walk' && steps.length === 4) {
            // The told option sits where the question reads the ranking; every other object keeps its place.
            const list = (s: string) => /are (.*)\.$/.exec(s)![1]!.split(/, | and /).map((x) => x.replace(/^the (\w+) \w+$/, '$1'));
            const [truth, lie] = [list(splitSteps(it.rationale).map((s) => stripStepMarker(s.text))[0]!), list(steps[0]!)];
            const end = truth.indexOf(trueText);
            expect(lie[end]).toBe(c.text);
            expect(lie.map((x, i) => (i === end || x === trueText ? '' : x))).toEqual(truth.map((x, i) => (i === end || x === c.text ? '' : x)));
          }
        }
      }
    }
  });

  it('gives each item an explain-style rationale whose final step concludes the answer and only it', async () => {
    const explained = await generateSyntheticTask({ seed: 7, train: 60, heldOut: 0, rationaleStyle: 'explain' });
    for (const it of explained.train) {
      const answerText = it.sample.choices.find((c) => c.letter === it.sample.answer)!.text;
      const steps = splitSteps(it.rationale);
      expect(steps.length).toBeGreaterThanOrEqual(2);
      expect(it.rationale.startsWith('Step 1, ')).toBe(true);
      expect(it.rationale.endsWith(`so the answer is (${it.sample.answer}) ${answerText}.`)).toBe(true);
      const last = finalStep(it.rationale);
      expect(concludesOption(last, it.sample.choices, it.sample.answer)).toBe(true);
      // The `Step N,` label is not part of the conclusion (a count option "3" would match "Step 3").
      const body = stripStepMarker(last);
      const others = it.sample.choices.filter((c) => c.letter !== it.sample.answer && concludesOption(body, it.sample.choices, c.letter));
      expect([last, others]).toEqual([last, []]);
    }
  });

  it('draws images whose pixels agree with the answers', async () => {
    let checkedCount = 0;
    let checkedBars = 0;
    for (const it of [...task.train, ...task.heldOut]) {
      const answer = it.sample.choices.find((c) => c.letter === it.sample.answer)!.text;
      if (it.kind === 'count') {
        const colour = /How many (\w+) shapes/.exec(it.sample.question)![1]!;
        expect(components(decodePng(it.png), rgbOf(colour))).toBe(Number(answer));
        checkedCount++;
      } else if (it.kind === 'tallest-bar') {
        const bm = decodePng(it.png);
        const heights = it.sample.choices.map((c) => ({ name: c.text, h: rowsWith(bm, rgbOf(c.text)) }));
        const sorted = [...heights].sort((a, b) => b.h - a.h);
        const want = it.sample.question.includes('shortest') ? sorted[sorted.length - 1]! : sorted[0]!;
        expect(want.name).toBe(answer);
        checkedBars++;
      } else if (it.kind === 'most-colour') {
        const bm = decodePng(it.png);
        const counts = it.sample.choices.map((c) => ({ name: c.text, n: components(bm, rgbOf(c.text)) })).sort((a, b) => b.n - a.n);
        expect(counts[0]!.name).toBe(answer);
        expect(counts[0]!.n).toBeGreaterThan(counts[1]!.n);
      }
    }
    expect(checkedCount).toBeGreaterThan(20);
    expect(checkedBars).toBeGreaterThan(20);
  });

  it('honours the difficulty knobs and rejects impossible ones', async () => {
    const t = await generateSyntheticTask({ seed: 1, train: 30, heldOut: 0, kinds: ['count'], imageSize: 64, minObjects: 1, maxObjects: 2, distractorObjects: 0, nearOptions: false, rationaleStyle: 'explain' });
    expect(t.heldOut).toEqual([]);
    for (const it of t.train) {
      const bm = decodePng(it.png);
      expect([bm.width, bm.height]).toEqual([64, 64]);
      const n = Number(it.sample.choices.find((c) => c.letter === it.sample.answer)!.text);
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(2);
      expect(it.rationale).toContain('no shapes of any other colour');
    }
    await expect(generateSyntheticTask({ seed: 1, train: 1, heldOut: 1, imageSize: 16 })).rejects.toBeInstanceOf(SyntheticConfigError);
    await expect(generateSyntheticTask({ seed: 1, train: 1, heldOut: 1, minObjects: 5, maxObjects: 3 })).rejects.toMatchObject({ option: 'maxObjects' });
    await expect(generateSyntheticTask({ seed: 1, train: 1, heldOut: 1, kinds: [] })).rejects.toMatchObject({ option: 'kinds' });
    await expect(generateSyntheticTask({ seed: 1, train: 1, heldOut: 1, rationaleStyle: 'terse' as never })).rejects.toMatchObject({ option: 'rationaleStyle' });
  });
});

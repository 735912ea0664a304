import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceReadError } from './errors';
import { loadM3CoT, loadScienceQA } from './load-list-records';
import { loadMathV360K } from './load-mathv360k';
import { skippedTotal } from './load-summary';
import { collectSamples } from './sample-source';

const HINT = 'Please answer the question and provide the correct option letter, e.g., A, B, C, D, at the end.';
const human = (q: string, opts: string[]) => `<image>\nHint: ${HINT}\nQuestion: ${q}\nChoices:\n${opts.map((o, i) => `(${'ABCDEFGH'[i]}) ${o}`).join('\n')}`;
const record = (id: string, image: string | null, q: string, opts: string[], gpt: string) => ({
  id,
  ...(image === null ? {} : { image }),
  conversations: [
    { from: 'human', value: human(q, opts) },
    { from: 'gpt', value: gpt },
  ],
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'smart-datasets-loaders-'));
  mkdirSync(join(dir, 'img', 'geo'), { recursive: true });
  for (const f of ['geo/a.png', 'geo/b.png', 'c.png']) writeFileSync(join(dir, 'img', f), 'png');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = [
  record('q1', 'geo/a.png', 'What is the measure of angle ABC?', ['65°', '115°', '130°', '150°'], 'The answer is B'),
  record('q2', 'geo/b.png', '图中有几个三角形？ 😀', ['1', '2', '3'], 'C'),
  record('q3', 'c.png', 'Is the line straight?', ['yes', 'no'], 'Answer: (A)'),
];

describe('loadMathV360K', () => {
  it('reads the same samples from a JSON array and from JSONL, with unicode intact', async () => {
    writeFileSync(join(dir, 'good.json'), JSON.stringify(good, null, 2));
    writeFileSync(join(dir, 'good.jsonl'), good.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const fromArray = await collectSamples(loadMathV360K({ file: join(dir, 'good.json'), imageRoot: join(dir, 'img') }));
    const fromLines = await collectSamples(loadMathV360K({ file: join(dir, 'good.jsonl'), imageRoot: join(dir, 'img') }));
    const core = (s: (typeof fromArray.samples)[number]) => ({ ...s, meta: undefined });
    expect(fromArray.samples.map(core)).toEqual(fromLines.samples.map(core));
    expect(fromArray.summary).toMatchObject({ read: 3, kept: 3, skipped: {}, examples: [], format: 'mathv360k' });
    expect(fromLines.samples.map((s) => s.answer)).toEqual(['B', 'C', 'A']);
    const [first, second] = fromLines.samples;
    expect(first).toEqual({
      id: 'q1',
      image: { path: 'geo/a.png' },
      question: 'What is the measure of angle ABC?',
      hint: HINT,
      choices: [
        { letter: 'A', text: '65°' },
        { letter: 'B', text: '115°' },
        { letter: 'C', text: '130°' },
        { letter: 'D', text: '150°' },
      ],
      answer: 'B',
      source: 'mathv360k',
      meta: { file: join(dir, 'good.jsonl'), line: 1 },
    });
    expect(second!.question).toBe('图中有几个三角形？ 😀');
    expect(fromArray.samples[1]!.meta).toEqual({ file: join(dir, 'good.json'), line: 16 });
  });

  it('skips bad rows by reason, with line numbers, and keeps the rest', async () => {
    const lines = [
      JSON.stringify(good[0]), // 1 kept
      '', // 2 blank: not a record
      '{"id": "broken", "image": ', // 3 invalid-json
      JSON.stringify(record('nomc', 'c.png', 'Describe the image.', [], 'A cat')).replace('Choices:\\n', ''), // 4 no-choices
      JSON.stringify(record('far', 'c.png', 'Pick one', ['x', 'y'], 'The answer is D')), // 5 answer-not-in-options
      JSON.stringify(record('gone', 'geo/missing.png', 'Pick one', ['x', 'y'], 'A')), // 6 missing-image
      JSON.stringify({ id: 'noconv', image: 'c.png' }), // 7 schema-violation
      JSON.stringify(record('noimg', null, 'Pick one', ['x', 'y'], 'B')), // 8 no-image
      JSON.stringify(record('q1', 'c.png', 'Again', ['x', 'y'], 'B')), // 9 duplicate-id
      '   ', // 10 blank
      JSON.stringify(good[2]), // 11 kept
    ];
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(file, lines.join('\n'));
    const seen: string[] = [];
    const source = loadMathV360K({ file, imageRoot: join(dir, 'img'), maxExamples: 3, onSkip: (i) => seen.push(`${i.line}:${i.reason}`) });
    const { samples, summary } = await collectSamples(source);
    expect(samples.map((s) => s.id)).toEqual(['q1', 'q3']);
    expect(summary.read).toBe(9);
    expect(summary.kept).toBe(2);
    expect(skippedTotal(summary)).toBe(7);
    expect(summary.skipped).toEqual({
      'invalid-json': 1,
      'no-choices': 1,
      'answer-not-in-options': 1,
      'missing-image': 1,
      'schema-violation': 1,
      'no-image': 1,
      'duplicate-id': 1,
    });
    expect(seen).toEqual(['3:invalid-json', '4:no-choices', '5:answer-not-in-options', '6:missing-image', '7:schema-violation', '8:no-image', '9:duplicate-id']);
    expect(summary.examples).toHaveLength(3);
    expect(summary.examples[0]).toMatchObject({ file, line: 3, reason: 'invalid-json' });
    expect(summary.examples[2]).toMatchObject({ file, line: 5, reason: 'answer-not-in-options', id: 'far', detail: expect.stringContaining('D') });
  });

  it('checks images through the injected function, once per path', async () => {
    const file = join(dir, 'inject.jsonl');
    const rows = [record('a', 'x.png', 'Q?', ['1', '2'], 'A'), record('b', 'x.png', 'Q2?', ['1', '2'], 'B'), record('c', '/abs/y.png', 'Q3?', ['1', '2'], 'B')];
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const asked: string[] = [];
    const { samples, summary } = await collectSamples(
      loadMathV360K({ file, imageRoot: '/data/root', imageExists: (p) => (asked.push(p), p !== '/abs/y.png') }),
    );
    expect(asked).toEqual(['/data/root/x.png', '/abs/y.png']);
    expect(samples.map((s) => s.id)).toEqual(['a', 'b']);
    expect(summary.skipped).toEqual({ 'missing-image': 1 });
    const unchecked = await collectSamples(loadMathV360K({ file, checkImages: false, imageExists: () => false }));
    expect(unchecked.samples).toHaveLength(3);
  });

  it('skips a broken element of a JSON array by its line and reads on', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, `[\n${JSON.stringify(good[0])},\n{"id": "x", "image": oops},\n${JSON.stringify(good[1])}\n]`);
    const { samples, summary } = await collectSamples(loadMathV360K({ file, imageRoot: join(dir, 'img') }));
    expect(samples.map((s) => s.id)).toEqual(['q1', 'q2']);
    expect(summary.examples).toEqual([expect.objectContaining({ line: 3, reason: 'invalid-json' })]);
  });

  it('aborts only on an unreadable source file, naming it', async () => {
    const file = join(dir, 'does-not-exist.jsonl');
    await expect(collectSamples(loadMathV360K({ file }))).rejects.toEqual(expect.objectContaining({ file, name: 'SourceReadError' }));
    await expect(collectSamples(loadMathV360K({ file }))).rejects.toBeInstanceOf(SourceReadError);
  });

  it('re-reads the file and resets the summary on a second iteration', async () => {
    const source = loadMathV360K({ file: join(dir, 'good.jsonl'), imageRoot: join(dir, 'img') });
    await collectSamples(source);
    const again = await collectSamples(source);
    expect(again.samples).toHaveLength(3);
    expect(again.summary.read).toBe(3);
  });
});

describe('loadScienceQA / loadM3CoT', () => {
  it('reads ScienceQA-style rows and rejects an answer index out of range', async () => {
    const file = join(dir, 'sqa.json');
    writeFileSync(
      file,
      JSON.stringify([
        { id: 7, image: 'c.png', question: 'Which is a mammal?', choices: ['trout', 'whale', 'frog'], answer: 1, hint: 'Animals live in many habitats.' },
        { image: 'c.png', question: 'Which is hotter?', choices: ['ice', 'lava'], answer: 2 },
        { image: 'c.png', question: 'Which is bigger?', choices: ['ant', 'dog'], answer: -1 },
        { image: null, question: 'Text only?', choices: ['a', 'b'], answer: 0 },
        { image: 'c.png', question: 'Which letter?', choices: ['ä', 'ß'], answer: 1 },
        { image: 'c.png', question: 'Bad', choices: 'a,b', answer: 0 },
      ]),
    );
    const { samples, summary } = await collectSamples(loadScienceQA({ file, imageRoot: join(dir, 'img') }));
    expect(samples.map((s) => [s.id, s.answer, s.source])).toEqual([
      ['7', 'B', 'scienceqa'],
      ['4', 'B', 'scienceqa'],
    ]);
    expect(samples[0]!.hint).toBe('Animals live in many habitats.');
    expect(samples[1]!.choices[1]).toEqual({ letter: 'B', text: 'ß' });
    expect(summary.skipped).toEqual({ 'answer-not-in-options': 2, 'no-image': 1, 'schema-violation': 1 });
    expect(summary.examples.find((e) => e.reason === 'schema-violation')!.detail).toContain('choices');
  });

  it('reads M3CoT-style rows with letter answers and context', async () => {
    const file = join(dir, 'm3cot.jsonl');
    writeFileSync(
      file,
      [
        { id: 'm1', image: 'geo/a.png', question: 'What is shown?', choices: ['a cat', 'a dog'], answer: 'B', context: 'A pet photo.' },
        { id: 'm2', image: 'geo/a.png', question: 'What is shown?', choices: ['a cat', 'a dog'], answer: 'E' },
        { id: 'm3', image: 'geo/a.png', question: 'What is shown?', choices: ['a cat'], answer: 'A' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const { samples, summary } = await collectSamples(loadM3CoT({ file, imageRoot: join(dir, 'img') }));
    expect(samples).toHaveLength(1);
    expect(samples[0]).toMatchObject({ id: 'm1', answer: 'B', hint: 'A pet photo.', source: 'm3cot' });
    expect(summary.skipped).toEqual({ 'answer-not-in-options': 1, 'too-few-options': 1 });
  });
});

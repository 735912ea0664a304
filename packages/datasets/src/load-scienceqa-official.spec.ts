import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScienceQAProblems } from './load-scienceqa-official';
import { collectSamples } from './sample-source';

// A slice of the released problems.json: lecture/solution/subject fields as ScienceQA writes them.
const problems = {
  '1': { question: 'Which animal is a mammal?', choices: ['frog', 'otter'], answer: 1, hint: '', image: 'image.png', task: 'closed choice', grade: 'grade3', subject: 'natural science', lecture: 'Mammals...', solution: 'An otter...', split: 'train' },
  '2': { question: 'Which word comes first in alphabetical order?', choices: ['dog', 'cat'], answer: 1, hint: '', image: null, split: 'train' },
  '3': { question: 'Which state is highlighted?', choices: ['Ohio', 'Iowa', 'Utah'], answer: 2, hint: 'Look at the map.', image: 'image.png', split: 'val' },
  '4': { question: 'Which is a solid?', choices: ['milk', 'rock'], answer: 5, hint: '', image: 'image.png', split: 'train' },
  '5': { question: 'What is the capital of Utah?', choices: ['Salt Lake City', 'Boise', 'Denver', 'Helena'], answer: 0, hint: '', image: 'image.png', split: 'test' },
  '6': { question: 'Broken', choices: 'a, b', answer: 0, image: 'image.png', split: 'test' },
  '7': { question: 'Which is smoother?', choices: ['sandpaper', 'glass'], answer: 1, hint: '', image: 'image.png', split: 'test' },
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'smart-scienceqa-'));
  writeFileSync(join(dir, 'problems.json'), JSON.stringify(problems, null, 2));
  for (const [id, split] of [['1', 'train'], ['3', 'val'], ['4', 'train'], ['5', 'test']]) {
    mkdirSync(join(dir, 'images', split!, id!), { recursive: true });
    writeFileSync(join(dir, 'images', split!, id!, 'image.png'), 'png');
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadScienceQAProblems (the released problems.json + images/<split>/<id>/image.png)', () => {
  it('loads the layout directly: ids from the keys, images by split and id, text-only problems counted as skipped', async () => {
    const { samples, summary } = await collectSamples(loadScienceQAProblems({ file: join(dir, 'problems.json') }));
    expect(samples.map((s) => [s.id, s.image.path, s.answer, s.meta?.split])).toEqual([
      ['1', 'images/train/1/image.png', 'B', 'train'],
      ['3', 'images/val/3/image.png', 'C', 'val'],
      ['5', 'images/test/5/image.png', 'A', 'test'],
    ]);
    expect(samples[1]).toMatchObject({ question: 'Which state is highlighted?', hint: 'Look at the map.', source: 'scienceqa', choices: [{ letter: 'A', text: 'Ohio' }, { letter: 'B', text: 'Iowa' }, { letter: 'C', text: 'Utah' }] });
    expect(samples[0]!.hint).toBeUndefined(); // ScienceQA writes an empty hint for none
    expect(summary).toMatchObject({ read: 7, kept: 3, skipped: { 'no-image': 1, 'answer-not-in-options': 1, 'schema-violation': 1, 'missing-image': 1 } });
    expect(summary.examples.map((e) => [e.reason, e.id])).toEqual([
      ['no-image', '2'],
      ['answer-not-in-options', '4'],
      ['schema-violation', undefined],
      ['missing-image', '7'],
    ]);
    expect(summary.examples[0]!.line).toBe(18); // where problem "2" starts in the pretty-printed file
  });

  it('keeps only the requested splits, counting the others', async () => {
    const { samples, summary } = await collectSamples(loadScienceQAProblems({ file: join(dir, 'problems.json'), splits: ['train'] }));
    expect(samples.map((s) => s.id)).toEqual(['1']);
    expect(summary.skipped).toEqual({ 'no-image': 1, 'answer-not-in-options': 1, 'schema-violation': 1, 'other-split': 3 });
  });
});

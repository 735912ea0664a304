import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from '@smart/types';
import { DatasetRowError } from '../errors';
import { loadMathV360K } from '../load-mathv360k';
import { collectSamples } from '../sample-source';
import { decodePng } from '../../test/decode-png';
import { readRationales } from './read-rationales';
import { generateSyntheticTask } from './synthetic-task';
import { writeSyntheticTask } from './write-synthetic-task';

const core = (s: Sample) => ({ id: s.id, image: s.image, question: s.question, hint: s.hint, choices: s.choices, answer: s.answer });

describe('writeSyntheticTask', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'smart-synthetic-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('round-trips through loadMathV360K to the same samples, with rationales alongside', async () => {
    const task = await generateSyntheticTask({ seed: 'rt', train: 40, heldOut: 12, imageSize: 64 });
    const files = await writeSyntheticTask(task, { dir: tmp() });
    expect(readdirSync(files.images)).toHaveLength(52);

    for (const [items, file, sidecar] of [
      [task.train, files.train, files.trainRationales],
      [task.heldOut, files.heldOut, files.heldOutRationales],
    ] as const) {
      const { samples, summary } = await collectSamples(loadMathV360K({ file }));
      expect(summary).toMatchObject({ read: items.length, kept: items.length, skipped: {} });
      expect(samples.map(core)).toEqual(items.map((i) => core(i.sample)));
      // Each row carries its kind and question variant, for per-variant scores.
      expect(samples.map((s) => [s.meta?.['kind'], s.meta?.['question']])).toEqual(items.map((i) => [i.kind, i.sample.meta?.['question']]));
      const rationales = await readRationales(sidecar);
      expect([...rationales.keys()]).toEqual(items.map((i) => i.sample.id));
      expect(rationales.get(items[5]!.sample.id)).toEqual({
        id: items[5]!.sample.id,
        kind: items[5]!.kind,
        answer: items[5]!.sample.answer,
        rationale: items[5]!.rationale,
        told: items[5]!.toldRationales,
      });
    }
    const variants = new Set(task.train.map((i) => `${i.sample.meta?.['question']} ${/\b(smallest|largest|shortest|tallest|fewest|most) (sides|bar|circle|square|triangle|shapes)/.exec(i.sample.question)?.[1] ?? '-'}`));
    // Two-way kinds name their criterion, one-way kinds only the kind: every item of the pool agrees with its question text.
    for (const v of variants) {
      const [variant, word] = v.split(' ');
      if (variant === 'count') expect(word).toBe('-');
      else if (variant === 'most-colour') expect(word).toBe('most');
      else expect(variant!.split('/')[1]).toBe(word);
    }
    expect([...variants].filter((v) => v.startsWith('largest/')).sort()).toEqual(['largest/largest largest', 'largest/smallest smallest']);
    const png = decodePng(readFileSync(join(files.dir, task.train[0]!.sample.image.path)));
    expect([png.width, png.height]).toEqual([64, 64]);
  });

  it('writes byte-identical files for the same seed', async () => {
    const a = await writeSyntheticTask(await generateSyntheticTask({ seed: 9, train: 15, heldOut: 5 }), { dir: tmp() });
    const b = await writeSyntheticTask(await generateSyntheticTask({ seed: 9, train: 15, heldOut: 5 }), { dir: tmp() });
    for (const key of ['train', 'heldOut', 'trainRationales', 'heldOutRationales'] as const) {
      expect(readFileSync(a[key], 'utf8')).toBe(readFileSync(b[key], 'utf8'));
    }
    const names = readdirSync(a.images).sort();
    expect(names).toEqual(readdirSync(b.images).sort());
    for (const n of names) expect(readFileSync(join(a.images, n)).equals(readFileSync(join(b.images, n)))).toBe(true);
    const firstLine = JSON.parse(readFileSync(a.train, 'utf8').split('\n')[0]!);
    expect(Object.keys(firstLine)).toEqual(['id', 'image', 'conversations', 'meta']);
    expect(firstLine.meta).toEqual({ kind: 'count', question: 'count' }); // the first kind, asked one way
    expect(firstLine.conversations.map((t: { from: string }) => t.from)).toEqual(['human', 'gpt']);
  });

  it('writes through an injected fs and reports broken sidecar rows by line', async () => {
    const written = new Map<string, string | Uint8Array>();
    const task = await generateSyntheticTask({ seed: 2, train: 3, heldOut: 1 });
    await writeSyntheticTask(task, { dir: '/virtual', fs: { mkdir: async () => undefined, writeFile: async (p, d) => void written.set(p, d) } });
    expect([...written.keys()].filter((k) => k.endsWith('.png'))).toHaveLength(4);
    expect(String(written.get('/virtual/train.jsonl')).trim().split('\n')).toHaveLength(3);

    const bad = join(tmp(), 'bad.rationales.jsonl');
    writeFileSync(bad, '{"id":"a","kind":"count","answer":"A","rationale":"Step 1, x"}\n{"id":"b","kind":"count"}\n');
    await expect(readRationales(bad)).rejects.toBeInstanceOf(DatasetRowError);
    await expect(readRationales(bad)).rejects.toMatchObject({ file: bad, line: 2 });
  });
});

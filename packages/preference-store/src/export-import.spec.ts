import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePairWrite, makeSample, tinyPng } from '../test/fixtures/pair-fixtures';
import { useTempStore } from '../test/fixtures/temp-store';
import { ImportFileError, ImportImageError, ImportRowError } from './errors';
import { exportLlamaFactory, exportParquet, exportTrl } from './export-pairs';
import { sha256Hex } from './image-file';
import { importLlamaFactory, importParquet, importTrl } from './import-pairs';
import type { PreferenceStore } from './preference-store';

describe('export and import', () => {
  const t = useTempStore();
  let store: PreferenceStore;
  let out: string;
  beforeEach(() => {
    store = t.store;
    out = join(t.dir, 'export');
    const idx = Array.from({ length: 20 }, (_, i) => i);
    // Samples 18 and 19 share sample 17's image: the export must write it once.
    store.putSamples(idx.map((i) => ({ sample: makeSample(i), sourceName: 'synthetic', imageBytes: tinyPng(Math.min(i, 17)) })));
    store.assignSamples(0, idx.slice(0, 10).map((i) => makeSample(i).id));
    store.assignSamples(1, idx.slice(10).map((i) => makeSample(i).id));
    store.recordPairs(idx.map((i) => makePairWrite(i, i < 10 ? 0 : 1)));
    // A prompt that already starts with the LLaMA-Factory token and holds characters JSON must escape.
    store.recordVerdict({ ...makePairWrite(12, 1).verdict, prompt: TRICKY });
  });
  const TRICKY = '<image> "quoted"\n\ttab \\ backslash 🙂 \u2028 end';

  const keptPairs = (iteration?: number) =>
    store
      .listPairs({ kept: true, ...(iteration === undefined ? {} : { iteration }) })
      .map(({ kept: _k, dropReasons: _d, imageSha256: _s, refLogpChosen: _c, refLogpRejected: _r, ...pair }) => pair);

  it('writes TRL conversational JSONL with an image placeholder and relative image paths', async () => {
    const summary = await exportTrl(store, { dir: out, iteration: 0 });
    expect(summary).toEqual({ file: join(out, 'trl.jsonl'), pairs: 8, imagesWritten: 8 });
    const first = JSON.parse(readFileSync(summary.file, 'utf8').split('\n')[0]!);
    const w = makePairWrite(1, 0);
    expect(first).toEqual({
      images: [`images/${sha256Hex(tinyPng(1))}.png`],
      prompt: [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: w.verdict.prompt }] }],
      chosen: [{ role: 'assistant', content: [{ type: 'text', text: w.positive.text }] }],
      rejected: [{ role: 'assistant', content: [{ type: 'text', text: w.negative.text }] }],
      sample_id: 's00001',
      iteration: 0,
      answer: 'B',
      wrong_answer: 'C',
    });
    expect(Buffer.compare(readFileSync(join(out, first.images[0])), tinyPng(1))).toBe(0);
    // Hard-linked from the store's image folder by default; `copy` gives independent files.
    const inStore = join(t.dir, 'images', first.images[0].slice('images/'.length));
    expect(statSync(join(out, first.images[0])).ino).toBe(statSync(inStore).ino);
    const copied = join(t.dir, 'copied');
    expect((await exportTrl(store, { dir: copied, iteration: 0, images: 'copy' })).imagesWritten).toBe(8);
    expect(statSync(join(copied, first.images[0])).ino).not.toBe(statSync(inStore).ino);
    expect(Buffer.compare(readFileSync(join(copied, first.images[0])), tinyPng(1))).toBe(0);
  });

  it('round-trips TRL JSONL losslessly', async () => {
    await exportTrl(store, { dir: out });
    const { pairs, errors } = importTrl(join(out, 'trl.jsonl'));
    expect(errors).toEqual([]);
    expect(pairs).toEqual(keptPairs());
    expect(pairs).toHaveLength(16);
    // 17, 18, 19 share one image; 0, 5, 10, 15 were dropped.
    expect(readdirSync(join(out, 'images'))).toHaveLength(14);
    for (const p of pairs) expect(sha256Hex(readFileSync(join(out, p.image)))).toBe(p.image.slice(7, 71));
  });

  it('round-trips LLaMA-Factory sharegpt ranking JSON and registers it in dataset_info.json', async () => {
    await exportTrl(store, { dir: out });
    writeFileSync(join(out, 'dataset_info.json'), JSON.stringify({ other: { file_name: 'other.json' } }));
    const summary = await exportLlamaFactory(store, { dir: out, datasetName: 'smart_iter1', iteration: 1 });
    expect(summary.imagesWritten).toBe(0);
    const info = JSON.parse(readFileSync(join(out, 'dataset_info.json'), 'utf8'));
    expect(info).toEqual({
      other: { file_name: 'other.json' },
      smart_iter1: {
        file_name: 'smart_iter1.json',
        formatting: 'sharegpt',
        ranking: true,
        columns: { messages: 'conversations', chosen: 'chosen', rejected: 'rejected', images: 'images' },
      },
    });
    const records = JSON.parse(readFileSync(summary.file, 'utf8'));
    expect(records[0].conversations).toEqual([{ from: 'human', value: `<image>${makePairWrite(11, 1).verdict.prompt}` }]);
    expect(records[0].chosen).toEqual({ from: 'gpt', value: makePairWrite(11, 1).positive.text });
    const { pairs, errors } = importLlamaFactory(summary.file);
    expect(errors).toEqual([]);
    expect(pairs).toEqual(keptPairs(1));
    expect(pairs.find((p) => p.sampleId === 's00012')!.prompt).toBe(TRICKY);
  });

  it('round-trips Parquet losslessly', async () => {
    const summary = await exportParquet(store, { dir: out });
    expect(readFileSync(summary.file).subarray(0, 4).toString()).toBe('PAR1');
    const { pairs, errors } = await importParquet(summary.file);
    expect(errors).toEqual([]);
    expect(pairs).toEqual(keptPairs());
  });

  it('exports an empty iteration as valid empty files', async () => {
    expect((await exportParquet(store, { dir: out, iteration: 7 })).pairs).toBe(0);
    expect((await importParquet(join(out, 'pairs.parquet'))).pairs).toEqual([]);
    expect(importTrl((await exportTrl(store, { dir: out, iteration: 7 })).file)).toEqual({ pairs: [], errors: [] });
  });

  it('reports bad rows with file, row and reason and keeps the good ones', async () => {
    const { file } = await exportTrl(store, { dir: out, iteration: 0 });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const rec = (k: number) => JSON.parse(lines[k]!);
    const broken = [
      lines[0],
      '{not json',
      JSON.stringify({ ...rec(1), chosen: 'plain string' }),
      JSON.stringify({ ...rec(2), images: ['images/missing.png'] }),
      '',
      JSON.stringify({ ...rec(3), answer: 'Z' }),
      JSON.stringify({ ...rec(4), prompt: [{ role: 'user', content: [{ type: 'text', text: 'no image part' }] }] }),
    ];
    writeFileSync(file, broken.join('\n'));
    const { pairs, errors } = importTrl(file);
    expect(pairs.map((p) => p.sampleId)).toEqual([rec(0).sample_id]);
    expect(errors.every((e) => e instanceof ImportRowError && e.file === file)).toBe(true);
    expect(errors.map((e) => e.row)).toEqual([2, 3, 4, 6, 7]);
    expect(errors[0]!.reason).toMatch(/invalid JSON/);
    expect(errors[1]!.reason).toBe('prompt, chosen and rejected must all be strings or all be conversational messages');
    expect(errors[2]).toBeInstanceOf(ImportImageError);
    expect(errors[2]!.reason).toBe('images[0]: image not found: images/missing.png');
    expect(errors[3]!.reason).toMatch(/^answer:/);
    expect(errors[4]!.reason).toMatch(/number of \{"type":"image"\} parts/);
  });

  it('reports LLaMA-Factory rows whose <image> placeholders do not match their image, and unreadable files', async () => {
    const { file } = await exportLlamaFactory(store, { dir: out, iteration: 0 });
    const records = JSON.parse(readFileSync(file, 'utf8'));
    records[1].conversations[0].value = 'no token';
    delete records[2].rejected;
    writeFileSync(file, JSON.stringify(records));
    const { pairs, errors } = importLlamaFactory(file);
    expect(pairs).toHaveLength(6);
    expect(errors.map((e) => [e.row, e.reason])).toEqual([
      [2, 'number of <image> placeholders (0) differs from images (1)'],
      [3, expect.stringMatching(/^rejected:/)],
    ]);
    writeFileSync(file, '{"a": 1}');
    expect(() => importLlamaFactory(file)).toThrow(ImportFileError);
    expect(() => importTrl(join(out, 'absent.jsonl'))).toThrow(ImportFileError);
    await expect(importParquet(file)).rejects.toThrow(ImportFileError);
    expect(existsSync(join(out, 'images'))).toBe(true);
  });
});

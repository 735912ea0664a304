import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer, type SchemaElement } from 'hyparquet-writer';
import { makePairWrite, makeSample, tinyPng } from '../test/fixtures/pair-fixtures';
import { useTempStore } from '../test/fixtures/temp-store';
import { exportParquet, exportTrl } from './export-pairs';
import { sha256Hex } from './image-file';
import { importParquet, importTrl } from './import-pairs';
import type { PreferenceStore } from './preference-store';

const arrayBufferOf = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

describe('drop-in TRL vision DPO data', () => {
  const t = useTempStore();
  let store: PreferenceStore;
  let out: string;
  beforeEach(() => {
    store = t.store;
    out = join(t.dir, 'export');
    const idx = [1, 2, 3];
    store.putSamples(idx.map((i) => ({ sample: makeSample(i), sourceName: 'synthetic', imageBytes: tinyPng(i) })));
    store.assignSamples(0, idx.map((i) => makeSample(i).id));
    store.recordPairs(idx.map((i) => makePairWrite(i, 0)));
  });
  const withRefs = () => [1, 2, 3].forEach((i) => store.setReferenceLogps(makeSample(i).id, 0, -10 - i, -20.5 - i));

  it('Parquet: conversational prompt with the image part first, images embedded as HF Image structs, datasets features', async () => {
    withRefs();
    const { file } = await exportParquet(store, { dir: out });
    const buf = readFileSync(file);
    const rows = await parquetReadObjects({ file: arrayBufferOf(buf), utf8: false });
    const w = makePairWrite(1, 0);
    expect(rows[0]!['prompt']).toEqual([{ role: 'user', content: [{ text: null, type: 'image' }, { text: w.verdict.prompt, type: 'text' }] }]);
    expect(rows[0]!['chosen']).toEqual([{ role: 'assistant', content: [{ text: w.positive.text, type: 'text' }] }]);
    const image = (rows[0]!['images'] as { bytes: Uint8Array; path: string }[])[0]!;
    expect(Buffer.compare(Buffer.from(image.bytes), tinyPng(1))).toBe(0);
    expect(image.path).toBe(`images/${sha256Hex(tinyPng(1))}.png`);
    expect(rows.map((r) => [r['ref_chosen_logps'], r['ref_rejected_logps']])).toEqual([
      [-11, -21.5],
      [-12, -22.5],
      [-13, -23.5],
    ]);
    const kv = parquetMetadata(arrayBufferOf(buf)).key_value_metadata ?? [];
    const features = JSON.parse(kv.find((e) => e.key === 'huggingface')!.value!).info.features;
    expect(features.images).toEqual({ feature: { _type: 'Image' }, _type: 'Sequence' });
    expect(features.ref_chosen_logps).toEqual({ dtype: 'float64', _type: 'Value' });
  });

  it('Parquet reads back without the image folder (bytes embedded), and leaves out ref columns unless every pair has them', async () => {
    store.setReferenceLogps(makeSample(1).id, 0, -1, -2); // one pair only
    const { file } = await exportParquet(store, { dir: out });
    const rows = await parquetReadObjects({ file: arrayBufferOf(readFileSync(file)) });
    expect(Object.keys(rows[0]!)).not.toContain('ref_chosen_logps');
    rmSync(join(out, 'images'), { recursive: true });
    const { pairs, errors } = await importParquet(file);
    expect(errors).toEqual([]);
    expect(pairs.map((p) => p.sampleId)).toEqual(['s00001', 's00002', 's00003']);
    for (const [i, p] of pairs.entries()) expect(Buffer.compare(readFileSync(join(out, p.image)), tinyPng(i + 1))).toBe(0);
  });

  it('Parquet from another tool: image structs with bytes and no path, plain-string columns, extra columns', async () => {
    const schema: SchemaElement[] = [
      { name: 'root', num_children: 9 },
      { name: 'sample_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: 'iteration', type: 'INT64', repetition_type: 'REQUIRED' },
      { name: 'images', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', repetition_type: 'OPTIONAL', num_children: 2 },
      { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
      { name: 'path', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      ...['prompt', 'chosen', 'rejected', 'answer', 'wrong_answer', 'source'].map((name): SchemaElement => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' })),
    ];
    const buffer = parquetWriteBuffer({
      schema,
      columnData: [
        { name: 'sample_id', data: ['x1'] },
        { name: 'iteration', data: [2n] },
        { name: 'images', data: [[{ bytes: tinyPng(9), path: null }]] },
        { name: 'prompt', data: ['Which shape?'] },
        { name: 'chosen', data: ['A circle. Answer: A'] },
        { name: 'rejected', data: ['A square. Answer: B'] },
        { name: 'answer', data: ['A'] },
        { name: 'wrong_answer', data: ['B'] },
        { name: 'source', data: ['other-tool'] },
      ],
    });
    const file = join(t.dir, 'foreign.parquet');
    writeFileSync(file, new Uint8Array(buffer));
    const { pairs, errors } = await importParquet(file);
    expect(errors).toEqual([]);
    expect(pairs).toEqual([
      { sampleId: 'x1', prompt: 'Which shape?', image: `images/${sha256Hex(tinyPng(9))}.png`, chosen: 'A circle. Answer: A', rejected: 'A square. Answer: B', answer: 'A', wrongAnswer: 'B', iteration: 2 },
    ]);
    expect(Buffer.compare(readFileSync(join(t.dir, pairs[0]!.image)), tinyPng(9))).toBe(0);
  });

  it('TRL JSONL: absolute image paths on request, and the reference log-prob columns TRL reads', async () => {
    withRefs();
    const { file } = await exportTrl(store, { dir: out, imagePaths: 'absolute' });
    const first = JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!);
    expect(isAbsolute(first.images[0])).toBe(true);
    expect(Buffer.compare(readFileSync(first.images[0]), tinyPng(1))).toBe(0);
    expect([first.ref_chosen_logps, first.ref_rejected_logps]).toEqual([-11, -21.5]);
    const { pairs, errors } = importTrl(file);
    expect(errors).toEqual([]);
    expect(pairs[0]!.image).toBe(first.images[0]);
  });
});

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { arrowAssistant, arrowUser, GIF_1X1, writeHfParquet } from '../test/fixtures/foreign-datasets';
import { makePairWrite, makeSample, tinyPng } from '../test/fixtures/pair-fixtures';
import { useTempStore } from '../test/fixtures/temp-store';
import { ImportFileError, ImportImageError, ImportRowError, InvalidRecordError } from './errors';
import { sha256Hex } from './image-file';
import { exportLlamaFactory, exportParquet, exportTrl } from './export-pairs';
import { importLlamaFactory, importParquet, importTrl, type ImportResult } from './import-pairs';
import { derivedSampleId } from './imported-pair';
import { llamaFactoryRecordSchema } from './llama-factory-format';
import { trlRecordSchema } from './trl-format';

const ID = /^import-[0-9a-f]{16}$/;
const bytesOf = (base: string, image: string) => readFileSync(isAbsolute(image) ? image : join(base, image));
const skipped = (r: ImportResult) => r.errors.map((e) => [e.row, e.reason]);

describe('importing files other tools wrote', () => {
  const t = useTempStore();
  let dir: string;
  beforeEach(() => {
    dir = join(t.dir, 'foreign');
    mkdirSync(dir);
  });

  describe('TRL vision DPO Parquet in HF datasets layout', () => {
    // HuggingFaceH4/rlaif-v_formatted's columns in its order, plus columns SMART does not know.
    const columns: Parameters<typeof writeHfParquet>[1] = [
      ['chosen', 'messages'],
      ['rejected', 'messages'],
      ['images', 'images'],
      ['prompt', 'messages'],
      ['origin_dataset', 'string'],
      ['idx', 'int64'],
    ];
    const row = (i: number, images: unknown, prompt: unknown = arrowUser(`Q${i}: what is shown?`)) => ({
      chosen: arrowAssistant(`a red square (${i})`),
      rejected: arrowAssistant(`a blue circle (${i})`),
      images,
      prompt,
      origin_dataset: 'VQAv2',
      idx: BigInt(i),
    });
    let file: string;
    beforeEach(() => {
      writeFileSync(join(dir, 'on-disk.png'), tinyPng(40));
      file = join(dir, 'train-00000-of-00001.parquet');
      writeHfParquet(file, columns, [
        row(1, [{ bytes: tinyPng(1), path: null }]),
        row(2, [{ bytes: GIF_1X1, path: 'COCO_val2014_000000000042.gif' }]), // a path only meaningful where it was made
        row(3, [{ bytes: Buffer.from('<html>not an image</html>'), path: null }]),
        row(4, [{ bytes: null, path: 'on-disk.png' }]),
        row(5, [{ bytes: null, path: 'elsewhere/missing.png' }]),
        row(6, [{ bytes: tinyPng(6), path: null }, { bytes: tinyPng(7), path: null }]),
        row(7, [{ bytes: tinyPng(8), path: null }], [{ role: 'system', content: [{ text: 'Be brief.', type: 'text' }] }, ...arrowUser('Q7')]),
      ]);
    });

    it('gives pairs with derived ids, no answers, iteration 0 and the embedded bytes written content-addressed', async () => {
      const result = await importParquet(file);
      expect(result.pairs.map((p) => p.prompt)).toEqual(['Q1: what is shown?', 'Q2: what is shown?', 'Q4: what is shown?']);
      const [p1, p2, p4] = result.pairs as [typeof result.pairs[0], typeof result.pairs[0], typeof result.pairs[0]];
      expect(p1).toEqual({
        sampleId: derivedSampleId({ prompt: 'Q1: what is shown?', chosen: 'a red square (1)', rejected: 'a blue circle (1)' }, `sha256:${sha256Hex(tinyPng(1))}`),
        prompt: 'Q1: what is shown?',
        image: `images/${sha256Hex(tinyPng(1))}.png`,
        chosen: 'a red square (1)',
        rejected: 'a blue circle (1)',
        answer: null,
        wrongAnswer: null,
        iteration: 0,
      });
      expect(p1.sampleId).toMatch(ID);
      expect(bytesOf(dir, p1.image).equals(tinyPng(1))).toBe(true);
      expect(p2.image).toBe(`images/${sha256Hex(GIF_1X1)}.gif`);
      expect(bytesOf(dir, p2.image).equals(GIF_1X1)).toBe(true);
      expect(p4.image).toBe('on-disk.png');
      expect(new Set(result.pairs.map((p) => p.sampleId)).size).toBe(3);

      expect(result.errors).toHaveLength(4);
      expect(result.errors.every((e) => e instanceof ImportRowError && e.file === file)).toBe(true);
      expect(skipped(result)).toEqual([
        [3, 'images[0]: bytes are not an image (25 bytes, no PNG/JPEG/GIF/BMP/WebP/TIFF signature)'],
        [5, 'images[0]: image not found: elsewhere/missing.png'],
        [6, 'images: 2 (SMART pairs hold one image)'],
        [7, 'prompt: a system message (SMART pairs have no system prompt)'],
      ]);
      expect(result.errors[0]).toBeInstanceOf(ImportImageError);
      expect(result.errors[0]).toMatchObject({ row: 3, image: 0 });
      // Only the good rows' images were written: row 6 and 7's bytes never reached the folder.
      expect(readdirSync(join(dir, 'images')).sort()).toEqual([`${sha256Hex(tinyPng(1))}.png`, `${sha256Hex(GIF_1X1)}.gif`].sort());
    });

    it('is idempotent: a second import gives the same pairs and writes no new file', async () => {
      const first = await importParquet(file);
      const files = readdirSync(join(dir, 'images')).sort();
      const second = await importParquet(file);
      expect(second.pairs).toEqual(first.pairs);
      expect(skipped(second)).toEqual(skipped(first));
      expect(readdirSync(join(dir, 'images')).sort()).toEqual(files);
    });

    it("writes embedded images into a store's image folder and takes the iteration from the options", async () => {
      const plain = await importParquet(file);
      const into = await importParquet(file, { imageDir: t.store.images.dir, iteration: 3 });
      expect(into.pairs.map((p) => p.sampleId)).toEqual(plain.pairs.map((p) => p.sampleId));
      expect(into.pairs.map((p) => p.iteration)).toEqual([3, 3, 3]);
      const embedded = into.pairs[0]!.image;
      expect(embedded).toBe(t.store.images.pathOf(`${sha256Hex(tinyPng(1))}.png`));
      expect(readFileSync(embedded).equals(tinyPng(1))).toBe(true);
      await expect(importParquet(file, { iteration: -1 })).rejects.toThrow(InvalidRecordError);
    });

    it('reads a single Image() column with plain-string prompt and completions, placeholders removed', async () => {
      const single = join(dir, 'tr-vlm-dpo.parquet');
      // ucsahin/TR-VLM-DPO-Dataset's layout: prompt, image, rejected, chosen.
      writeHfParquet(
        single,
        [
          ['prompt', 'string'],
          ['image', 'image'],
          ['rejected', 'string'],
          ['chosen', 'string'],
        ],
        [
          { prompt: 'How many squares?', image: { bytes: tinyPng(11), path: 'x.png' }, rejected: 'Two.', chosen: 'Three.' },
          { prompt: '<image>\nWhat colour is it?', image: { bytes: tinyPng(12), path: null }, rejected: 'Blue.', chosen: 'Red.' },
          { prompt: 'No image here.', image: null, rejected: 'a', chosen: 'b' },
          { prompt: 'Left <image>, right <image>?', image: { bytes: tinyPng(13), path: null }, rejected: 'a', chosen: 'b' },
        ],
      );
      const result = await importParquet(single);
      expect(result.pairs.map((p) => [p.prompt, p.chosen, p.rejected, p.image])).toEqual([
        ['How many squares?', 'Three.', 'Two.', `images/${sha256Hex(tinyPng(11))}.png`],
        ['What colour is it?', 'Red.', 'Blue.', `images/${sha256Hex(tinyPng(12))}.png`],
      ]);
      expect(skipped(result)).toEqual([
        [3, 'images: none (SMART pairs need one image)'],
        [4, 'number of <image> placeholders (2) differs from images (1)'],
      ]);
    });
  });

  describe('TRL JSONL', () => {
    beforeEach(() => {
      writeFileSync(join(dir, 'a.png'), tinyPng(21));
      writeFileSync(join(dir, 'b.png'), tinyPng(22));
    });
    const write = (name: string, records: unknown[]) => {
      const file = join(dir, name);
      writeFileSync(file, records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');
      return file;
    };

    it('plain-string prompts with images as paths, a single struct, base64 bytes or an `image` column', () => {
      const file = write('standard.jsonl', [
        { prompt: 'Shape?', chosen: ' A square.', rejected: ' A circle.', images: ['a.png'], score_chosen: 9 },
        { prompt: 'Colour?', chosen: 'Red.', rejected: 'Blue.', images: { bytes: null, path: 'b.png' } },
        { prompt: 'Count?', chosen: 'Three.', rejected: 'Two.', images: [{ bytes: tinyPng(23).toString('base64'), path: null }] },
        { prompt: 'Size?', chosen: 'Small.', rejected: 'Large.', image: 'a.png' },
        { prompt: 'Shape?', chosen: ' A square.', rejected: ' A circle.', images: ['a.png'] }, // row 1 again, verbatim
        { prompt: 'Broken?', chosen: 'Yes.', images: ['a.png'] },
        { prompt: 'Bytes?', chosen: 'x', rejected: 'y', images: [{ bytes: 'not base64!', path: null }] },
      ]);
      const result = importTrl(file);
      expect(result.pairs.map((p) => [p.prompt, p.chosen, p.rejected, p.image, p.answer, p.iteration])).toEqual([
        ['Shape?', ' A square.', ' A circle.', 'a.png', null, 0],
        ['Colour?', 'Red.', 'Blue.', 'b.png', null, 0],
        ['Count?', 'Three.', 'Two.', `images/${sha256Hex(tinyPng(23))}.png`, null, 0],
        ['Size?', 'Small.', 'Large.', 'a.png', null, 0],
      ]);
      expect(bytesOf(dir, result.pairs[2]!.image).equals(tinyPng(23))).toBe(true);
      expect(result.pairs[0]!.sampleId).toBe(derivedSampleId({ prompt: 'Shape?', chosen: ' A square.', rejected: ' A circle.' }, 'path:a.png'));
      expect(skipped(result)).toEqual([
        [5, `duplicate pair for sample ${result.pairs[0]!.sampleId} in iteration 0 (first at row 1; the first is kept)`],
        [6, 'rejected: Invalid input'],
        [7, 'images[0]: bytes are neither binary nor base64'],
      ]);
    });

    it('conversational prompts: image parts, string content, and the implicit prompt', () => {
      const user = (text: string) => ({ role: 'user', content: [{ type: 'image' }, { type: 'text', text }] });
      const reply = (text: string) => ({ role: 'assistant', content: [{ type: 'text', text }] });
      const file = write('conversational.jsonl', [
        { prompt: [user('What is it?')], chosen: [reply('A cat.')], rejected: [reply('A dog.')], images: ['a.png'] },
        { prompt: [{ role: 'user', content: 'Where?' }], chosen: [{ role: 'assistant', content: 'Inside.' }], rejected: [{ role: 'assistant', content: 'Outside.' }], images: ['b.png'] },
        { chosen: [user('Implicit?'), reply('Yes.')], rejected: [user('Implicit?'), reply('No.')], images: ['a.png'] },
        { chosen: [user('One'), reply('Yes.')], rejected: [user('Other'), reply('No.')], images: ['a.png'] },
        { prompt: [user('Two turns?'), reply('Hm.'), user('Well?')], chosen: [reply('Yes.')], rejected: [reply('No.')], images: ['a.png'] },
        { prompt: [{ role: 'user', content: [{ type: 'text', text: 'No image part' }] }], chosen: [reply('a')], rejected: [reply('b')], images: ['a.png'] },
      ]);
      const result = importTrl(file);
      expect(result.pairs.map((p) => [p.prompt, p.chosen, p.rejected, p.image])).toEqual([
        ['What is it?', 'A cat.', 'A dog.', 'a.png'],
        ['Where?', 'Inside.', 'Outside.', 'b.png'],
        ['Implicit?', 'Yes.', 'No.', 'a.png'],
      ]);
      expect(skipped(result)).toEqual([
        [4, 'prompt: missing, and chosen and rejected do not share their prompt messages (implicit prompt)'],
        [5, 'prompt: expected one user message, found user, assistant, user'],
        [6, 'number of {"type":"image"} parts (0) differs from images (1)'],
      ]);
    });
  });

  describe('LLaMA-Factory folder with dataset_info.json', () => {
    const openai = {
      file_name: 'rlaif_openai.json',
      formatting: 'sharegpt',
      ranking: true,
      columns: { messages: 'messages', chosen: 'better', rejected: 'worse', images: 'pictures' },
      tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', system_tag: 'system' },
    };
    const alpaca = { file_name: 'alpaca_pref.jsonl', ranking: true, columns: { prompt: 'instruction', query: 'input', chosen: 'chosen', rejected: 'rejected', images: 'images' } };
    beforeEach(() => {
      writeFileSync(join(dir, 'a.png'), tinyPng(31));
      writeFileSync(join(dir, 'dataset_info.json'), JSON.stringify({ rlaif_openai: openai, alpaca_pref: alpaca, sft_only: { file_name: 'sft.json' }, no_images: { ...openai, file_name: 'x.json', columns: { messages: 'messages' } } }));
    });
    const msg = (role: string, content: string) => ({ role, content });

    it('follows custom columns and tags, removes <image> placeholders, and skips what SMART cannot hold', () => {
      const file = join(dir, 'rlaif_openai.json');
      const rec = (messages: unknown[], extra: Record<string, unknown> = {}) => ({ messages, better: msg('assistant', 'Good.'), worse: msg('assistant', 'Bad.'), pictures: ['a.png'], ...extra });
      writeFileSync(
        file,
        JSON.stringify([
          rec([msg('user', '<image>What is this?')], { id: 17 }),
          rec([msg('user', 'And this?\n<image>')]),
          rec([msg('system', 'You are terse.'), msg('user', '<image>Why?')]),
          rec([msg('user', 'No placeholder')]),
          rec([msg('user', '<image>Hi'), msg('assistant', 'Hello'), msg('user', 'Then?')]),
          rec([msg('user', '<image>Who?')], { worse: msg('user', 'Wrong role') }),
          rec([msg('user', '<image>Embedded?')], { pictures: [{ bytes: tinyPng(32).toString('base64'), path: null }] }),
        ]),
      );
      const result = importLlamaFactory(file);
      expect(result.pairs.map((p) => [p.prompt, p.chosen, p.rejected, p.image, p.answer, p.wrongAnswer])).toEqual([
        ['What is this?', 'Good.', 'Bad.', 'a.png', null, null],
        ['And this?', 'Good.', 'Bad.', 'a.png', null, null],
        ['Embedded?', 'Good.', 'Bad.', `images/${sha256Hex(tinyPng(32))}.png`, null, null],
      ]);
      expect(result.pairs.every((p) => ID.test(p.sampleId))).toBe(true);
      expect(bytesOf(dir, result.pairs[2]!.image).equals(tinyPng(32))).toBe(true);
      expect(skipped(result)).toEqual([
        [3, 'messages[0]: a system prompt (SMART pairs have none)'],
        [4, 'number of <image> placeholders (0) differs from images (1)'],
        [5, 'messages: expected one "user" turn, found "user", "assistant", "user"'],
        [6, 'worse: expected a "assistant" message {"role", "content"}'],
      ]);
    });

    it('reads an alpaca ranking entry by name, instruction and input joined as LLaMA-Factory joins them', () => {
      const file = join(dir, 'alpaca_pref.jsonl');
      writeFileSync(
        file,
        [
          { instruction: '<image>Which shape?', input: '(A) square (B) circle', chosen: 'A', rejected: 'B', images: ['a.png'] },
          { instruction: '<image>Alone', input: '', chosen: 'x', rejected: 'y', images: ['a.png'] },
          { instruction: '<image>No pair', output: 'z', images: ['a.png'] },
        ]
          .map((r) => JSON.stringify(r))
          .join('\n'),
      );
      const result = importLlamaFactory(file, { dataset: 'alpaca_pref', iteration: 1 });
      expect(result.pairs.map((p) => [p.prompt, p.chosen, p.rejected, p.iteration])).toEqual([
        ['Which shape?\n(A) square (B) circle', 'A', 'B', 1],
        ['Alone', 'x', 'y', 1],
      ]);
      expect(skipped(result)).toEqual([[3, 'chosen: expected a string; rejected: expected a string']]);
    });

    it('refuses entries that are not preference data with images, with the dataset_info.json file named', () => {
      const info = join(dir, 'dataset_info.json');
      writeFileSync(join(dir, 'sft.json'), '[]');
      writeFileSync(join(dir, 'x.json'), '[]');
      expect(() => importLlamaFactory(join(dir, 'sft.json'))).toThrow(expect.objectContaining({ constructor: ImportFileError, file: info, reason: 'entry sft_only is not a preference dataset (ranking is not true)' }));
      expect(() => importLlamaFactory(join(dir, 'x.json'))).toThrow(expect.objectContaining({ file: info, reason: 'entry no_images maps no images column (SMART pairs need one image)' }));
      expect(() => importLlamaFactory(join(dir, 'x.json'), { dataset: 'absent' })).toThrow(expect.objectContaining({ file: info, reason: 'no dataset named absent' }));
    });
  });

  describe("round trip: SMART's exports with SMART's own columns dropped", () => {
    const SMART_COLUMNS = ['sample_id', 'iteration', 'answer', 'wrong_answer'];
    const drop = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => !SMART_COLUMNS.includes(k)));
    let out: string;
    beforeEach(() => {
      out = join(t.dir, 'export');
      const idx = [1, 2, 3, 4, 5, 6];
      t.store.putSamples(idx.map((i) => ({ sample: makeSample(i), sourceName: 'synthetic', imageBytes: tinyPng(i) })));
      t.store.assignSamples(2, idx.map((i) => makeSample(i).id));
      t.store.recordPairs(idx.map((i) => makePairWrite(i, 2))); // sample 5 is dropped
    });
    const kept = () => t.store.listPairs({ kept: true }).map((p) => ({ prompt: p.prompt, image: p.image, chosen: p.chosen, rejected: p.rejected }));
    const expectSamePairs = (result: ImportResult) => {
      expect(result.errors).toEqual([]);
      expect(result.pairs.map((p) => ({ prompt: p.prompt, image: p.image, chosen: p.chosen, rejected: p.rejected }))).toEqual(kept());
      expect(result.pairs.every((p) => ID.test(p.sampleId) && p.answer === null && p.wrongAnswer === null && p.iteration === 2)).toBe(true);
      expect(new Set(result.pairs.map((p) => p.sampleId)).size).toBe(5);
    };

    it('TRL JSONL', async () => {
      const { file } = await exportTrl(t.store, { dir: out });
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      // What SMART wrote is its documented layout, SMART's columns included, before they are dropped.
      for (const l of lines) expect(trlRecordSchema.safeParse(JSON.parse(l)).success).toBe(true);
      writeFileSync(file, lines.map((l) => JSON.stringify(drop(JSON.parse(l)))).join('\n'));
      expectSamePairs(importTrl(file, { iteration: 2 }));
    });

    it('LLaMA-Factory sharegpt ranking, found through its dataset_info.json entry', async () => {
      const { file } = await exportLlamaFactory(t.store, { dir: out, datasetName: 'smart_iter2' });
      const records = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
      for (const r of records) expect(llamaFactoryRecordSchema.safeParse(r).success).toBe(true);
      writeFileSync(file, JSON.stringify(records.map(drop)));
      expectSamePairs(importLlamaFactory(file, { iteration: 2 }));
    });

    it('Parquet rewritten by another tool with only the TRL columns, images folder gone', async () => {
      const { file } = await exportParquet(t.store, { dir: out });
      const buf = readFileSync(file);
      const rows = await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer, utf8: false });
      const foreign = join(out, 'rewritten.parquet');
      writeHfParquet(foreign, [['prompt', 'messages'], ['chosen', 'messages'], ['rejected', 'messages'], ['images', 'images']], rows);
      rmSync(join(out, 'images'), { recursive: true });
      const result = await importParquet(foreign, { iteration: 2 });
      expectSamePairs(result);
      for (const [i, p] of result.pairs.entries()) expect(bytesOf(out, p.image).equals(tinyPng([1, 2, 3, 4, 6][i]!))).toBe(true);
    });
  });
});

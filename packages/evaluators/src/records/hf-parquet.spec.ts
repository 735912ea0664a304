import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hfParquet, tinyPng, type HfType } from '../../test/hf-parquet';
import { BenchmarkFileError } from '../errors';
import { LlavaBenchRowSchema } from '../llava-bench/llava-bench-record';
import { llavaBenchRequests } from '../llava-bench/score-llava-bench';
import { M3CoTRecordSchema } from '../m3cot/m3cot-record';
import { m3cotImage } from '../m3cot/score-m3cot';
import { MathVistaRecordSchema } from '../mathvista/mathvista-record';
import { mathvistaRequests } from '../mathvista/score-mathvista';
import { MMCodeRecordSchema } from '../mmcode/mmcode-record';
import { MMVetRecordSchema } from '../mmvet/mmvet-record';
import { mmvetRequests } from '../mmvet/score-mmvet';
import { loadRecords, recordFormatOf } from './load-records';
import { readParquetRows } from './read-parquet-rows';

const FIXTURES = join(__dirname, '../../test/fixtures/mathvista');
const TESTMINI = JSON.parse(readFileSync(join(FIXTURES, 'testmini.slice.json'), 'utf8')) as Record<string, Record<string, unknown>>;
const QUERIES = JSON.parse(readFileSync(join(FIXTURES, 'query.slice.json'), 'utf8')) as Record<string, string>;

describe('Hugging Face Parquet releases', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hf-parquet-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const write = async (name: string, columns: Record<string, HfType>, rows: Record<string, unknown>[]): Promise<string> => {
    const file = join(dir, name);
    await writeFile(file, new Uint8Array(hfParquet(columns, rows)));
    return file;
  };
  const bytesOf = (path: string): Promise<Buffer> => readFile(path);

  it('AI4Math/MathVista: precision as float64, metadata struct, embedded decoded_image, query column', async () => {
    const metadata: HfType = {
      struct: { category: 'string', context: 'string', grade: 'string', img_height: 'int64', img_width: 'int64', language: 'string', skills: 'string[]', source: 'string', split: 'string', task: 'string' },
    };
    const columns: Record<string, HfType> = {
      pid: 'string', question: 'string', image: 'string', decoded_image: 'image', choices: 'string[]', unit: 'string', precision: 'float64',
      answer: 'string', question_type: 'string', answer_type: 'string', metadata, query: 'string',
    };
    const pids = ['1', '2', '3', '114', '117'];
    const rows = pids.map((pid, i) => {
      const r = TESTMINI[pid]!;
      const m = r['metadata'] as Record<string, unknown>;
      return { ...r, precision: r['precision'] === null ? null : Number(r['precision']), metadata: { ...m, img_width: BigInt(m['img_width'] as number), img_height: BigInt(m['img_height'] as number) }, decoded_image: { bytes: tinyPng(i), path: null }, query: QUERIES[pid] };
    });
    const file = await write('testmini-00000-of-00001.parquet', columns, rows);
    expect(recordFormatOf(file)).toBe('parquet');
    const imageDir = join(dir, 'mathvista-images');
    const { records, errors } = await loadRecords({ file, format: recordFormatOf(file), schema: MathVistaRecordSchema, idField: 'pid', imageDir });
    expect(errors).toEqual([]);
    expect(records.map((r) => [r.pid, r.precision ?? null, r.query === QUERIES[r.pid]])).toEqual([['1', 1, true], ['2', null, true], ['3', null, true], ['114', null, true], ['117', null, true]]);
    const requests = mathvistaRequests(records, '/unused');
    expect(requests[2]!.image).toEqual({ kind: 'path', path: records[2]!.decoded_image });
    expect(new Uint8Array(await bytesOf(records[2]!.decoded_image!))).toEqual(tinyPng(2));
    expect(records[2]!.decoded_image!.startsWith(imageDir)).toBe(true);
    expect(records[2]!.decoded_image).toMatch(/\/[0-9a-f]{64}\.png$/);
  });

  it('LightChen2333/M3CoT: the embedded image becomes the request image', async () => {
    const columns: Record<string, HfType> = {
      id: 'string', category: 'string', image_id: 'string', question: 'string', choices: 'string[]', context: 'string', answer: 'string', rationale: 'string', split: 'string', image: 'image', domain: 'string', topic: 'string',
    };
    const rows = [
      { id: 'physical-commonsense-1', category: 'physical-commonsense', image_id: 'i1', question: 'Which keeps you warmer?', choices: ['wool', 'cotton'], context: '', answer: 'A', rationale: 'Wool insulates.', split: 'test', image: { bytes: tinyPng(7), path: 'i1.png' }, domain: 'commonsense', topic: 'physical-commonsense' },
      { id: 'bad-2', category: 'x', image_id: 'i2', question: 'q', choices: ['a', 'b'], context: null, answer: 'C', rationale: null, split: 'test', image: null, domain: 'science', topic: 'natural' },
      { id: 'algebra-3', category: 'algebra', image_id: 'i3', question: 'x?', choices: ['1', '2', '3'], context: null, answer: 'B', rationale: null, split: 'test', image: null, domain: 'mathematics', topic: 'algebra' },
    ];
    const file = await write('test-00000-of-00001.parquet', columns, rows);
    const { records, errors } = await loadRecords({ file, format: 'parquet', schema: M3CoTRecordSchema, idField: 'id', imageDir: join(dir, 'm3cot-images') });
    expect(records.map((r) => r.id)).toEqual(['physical-commonsense-1', 'algebra-3']);
    expect(errors.map((e) => [e.row, e.recordId])).toEqual([[2, 'bad-2']]);
    const image = m3cotImage(records[0]!, '/data');
    expect(new Uint8Array(await bytesOf((image as { path: string }).path))).toEqual(tinyPng(7));
    expect(m3cotImage(records[1]!, '/data')).toEqual({ kind: 'path', path: '/data/algebra-3.png' });
  });

  it('lmms-lab/MMVet: capability as a comma-separated string, embedded image', async () => {
    const columns: Record<string, HfType> = { question_id: 'string', image: 'image', question: 'string', answer: 'string', image_source: 'string', capability: 'string' };
    const rows = [
      { question_id: 'v1_0', image: { bytes: tinyPng(1), path: null }, question: 'What is x?', answer: '-1<AND>-5', image_source: 'web', capability: 'ocr,math' },
      { question_id: 'v1_1', image: { bytes: tinyPng(2), path: null }, question: 'Explain.', answer: 'Iceland', image_source: 'web', capability: 'rec,know,gen' },
    ];
    const file = await write('mmvet.parquet', columns, rows);
    const { records, errors } = await loadRecords({ file, format: 'parquet', schema: MMVetRecordSchema, idField: 'question_id', imageDir: join(dir, 'mmvet-images') });
    expect(errors).toEqual([]);
    expect(records.map((r) => [r.id, r.capability])).toEqual([['v1_0', ['ocr', 'math']], ['v1_1', ['rec', 'know', 'gen']]]);
    const path = (mmvetRequests(records, '/unused')[1]!.image as { path: string }).path;
    expect(new Uint8Array(await bytesOf(path))).toEqual(tinyPng(2));
  });

  it('lmms-lab/llava-bench-in-the-wild: one file with question, caption, reference and image', async () => {
    const columns: Record<string, HfType> = { question_id: 'string', question: 'string', image: 'image', category: 'string', image_id: 'string', answer: 'string', caption: 'string', gpt_answer: 'string' };
    const rows = [
      { question_id: '0', question: 'What is unusual?', image: { bytes: tinyPng(3), path: '001.jpg' }, category: 'conv', image_id: '001', answer: null, caption: 'A man ironing on a taxi.', gpt_answer: 'Ironing on a taxi.' },
      { question_id: '1', question: 'Describe.', image: { bytes: tinyPng(3), path: '001.jpg' }, category: 'detail', image_id: '001', answer: null, caption: 'A man ironing on a taxi.', gpt_answer: 'A street.' },
    ];
    const file = await write('llava-bench.parquet', columns, rows);
    const { records, errors } = await loadRecords({ file, format: 'parquet', schema: LlavaBenchRowSchema, idField: 'question_id', imageDir: join(dir, 'llava-images') });
    expect(errors).toEqual([]);
    expect(records.map((r) => [r.id, r.category, r.reference])).toEqual([['0', 'conv', 'Ironing on a taxi.'], ['1', 'detail', 'A street.']]);
    expect(records[0]!.image).toBe(records[1]!.image); // the same image is written once
    const path = (llavaBenchRequests(records, '/unused')[0]!.image as { path: string }).path;
    expect(new Uint8Array(await bytesOf(path))).toEqual(tinyPng(3));
  });

  it('likaixin/MMCode: base64 images and the input_output JSON string', async () => {
    const columns: Record<string, HfType> = { problem_id: 'string', name: 'string', source: 'string', url: 'string', question: 'string', images: 'string[]', input_output: 'string', starter_code: 'string', difficulty: 'string', image_tags: 'string[]' };
    const png = Buffer.from(tinyPng(9)).toString('base64');
    const rows = [
      { problem_id: 'cf-1', name: 'A', source: 'codeforces', url: 'u', question: 'Sum ![image](1.png)', images: [png, png], input_output: JSON.stringify({ inputs: ['1 2\n'], outputs: ['3\n'] }), starter_code: '', difficulty: 'easy', image_tags: ['tree'] },
      { problem_id: 'cf-2', name: 'B', source: 'codeforces', url: 'u', question: 'Bad', images: [], input_output: '{not json', starter_code: null, difficulty: null, image_tags: [] },
    ];
    const file = await write('mmcode_test.parquet', columns, rows);
    const { records, errors } = await loadRecords({ file, format: 'parquet', schema: MMCodeRecordSchema, idField: 'problem_id', imageDir: join(dir, 'mmcode-images') });
    expect(records.map((r) => [r.problem_id, r.images.length])).toEqual([['cf-1', 2]]);
    expect(errors.map((e) => [e.row, e.recordId])).toEqual([[2, 'cf-2']]);
  });

  it('streams row group by row group and reports a file that is not Parquet', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ n: BigInt(i) * 10n ** 17n, s: `row ${i}` }));
    const file = await write('groups.parquet', { n: 'int64', s: 'string' }, rows);
    const seen: unknown[] = [];
    for await (const r of readParquetRows(file)) seen.push(r.ok ? [r.line, r.value] : r);
    // INT64 beyond 2^53 comes back as its decimal string, small ones as numbers.
    expect(seen).toEqual(rows.map((r, i) => [i + 1, { n: i === 0 ? 0 : `${i}00000000000000000`, s: `row ${i}` }]));
    await writeFile(join(dir, 'fake.parquet'), 'PAR1 not really');
    await expect(loadRecords({ file: join(dir, 'fake.parquet'), format: 'parquet', schema: M3CoTRecordSchema })).rejects.toThrow(BenchmarkFileError);
  });
});

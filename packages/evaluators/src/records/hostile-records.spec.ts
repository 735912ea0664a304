import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { hfParquet } from '../../test/hf-parquet';
import { BenchmarkFileError, BenchmarkRecordError, DuplicateRecordError } from '../errors';
import { readScoredItems } from '../report/eval-outputs';
import { loadRecords, parseRecords, type RecordFormat } from './load-records';

const schema = z.object({ id: z.string(), q: z.string() });
const rec = (id: string, q = `question ${id}`) => ({ id, q });

describe('benchmark loaders: hostile files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eval-hostile-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const file = async (name: string, content: string | Uint8Array): Promise<string> => {
    const p = join(dir, name);
    await writeFile(p, content);
    return p;
  };

  it.each<{ name: string; format: RecordFormat; text: string; kept: string[]; dupRows: (number | string)[]; firstRows: (number | string)[] }>([
    { name: 'JSONL', format: 'jsonl', text: [rec('a'), rec('b'), rec('a', 'again'), rec('c'), rec('b', 'again')].map((r) => JSON.stringify(r)).join('\n'), kept: ['a', 'b', 'c'], dupRows: [3, 5], firstRows: [1, 2] },
    { name: 'JSON array', format: 'json-array', text: JSON.stringify([rec('a'), rec('a', 'again'), rec('b')]), kept: ['a', 'b'], dupRows: [1], firstRows: [0] },
    { name: 'JSON object (key repeated)', format: 'json-object', text: '{"a": {"q": "first"}, "b": {"q": "x"}, "a": {"q": "second"}}', kept: ['a', 'b'], dupRows: ['a'], firstRows: ['a'] },
  ])('$name: a repeated id is counted and reported, the first wins', async ({ name, format, text, kept, dupRows, firstRows }) => {
    const p = await file(`dup-${name.replace(/\W/g, '')}`, text);
    const { records, errors } = await loadRecords({ file: p, format, schema, idField: 'id', keyField: format === 'json-object' ? 'id' : undefined });
    expect(records.map((r) => r.id)).toEqual(kept);
    expect(records.every((r) => r.q !== 'again' && r.q !== 'second')).toBe(true);
    expect(errors.every((e) => e instanceof DuplicateRecordError)).toBe(true);
    expect(errors.map((e) => e.row)).toEqual(dupRows);
    expect(errors.map((e) => (e as DuplicateRecordError).firstRow)).toEqual(firstRows);
    expect(errors[0]).toMatchObject({ file: p, reason: expect.stringMatching(/^duplicate id \w+ \(first at row .+; the first is kept\)$/) });
    // parseRecords (text already in memory) follows the same rule.
    expect(parseRecords(text, { file: p, format, schema, idField: 'id', keyField: format === 'json-object' ? 'id' : undefined }).records).toHaveLength(kept.length);
  });

  it('Parquet: a repeated id is skipped with its row number', async () => {
    const rows = [rec('a'), rec('b'), rec('a', 'again')];
    const p = await file('dup.parquet', new Uint8Array(hfParquet({ id: 'string', q: 'string' }, rows)));
    const { records, errors } = await loadRecords({ file: p, format: 'parquet', schema, idField: 'id' });
    expect(records).toEqual([rec('a'), rec('b')]);
    expect(errors).toEqual([expect.objectContaining({ constructor: DuplicateRecordError, row: 3, recordId: 'a', firstRow: 1 })]);
  });

  it('a malformed array element never swallows the good one after it', async () => {
    const text = `[\n${JSON.stringify(rec('a'))},\n{"id": "b", "q": "unterminated\n${JSON.stringify(rec('c'))},\n${JSON.stringify(rec('d'))}\n]`;
    const p = await file('broken.json', text);
    const { records, errors } = await loadRecords({ file: p, format: 'json-array', schema, idField: 'id' });
    expect(records.map((r) => r.id)).toEqual(['a', 'c', 'd']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(BenchmarkRecordError);
    expect(errors[0]).toMatchObject({ file: p, row: 3 });
  });

  it('a row failing the schema is skipped with file, row and id; the rest are kept', async () => {
    const p = await file('schema.jsonl', [JSON.stringify(rec('a')), '{"id": "b", "q": 7}', 'not json', JSON.stringify(rec('c'))].join('\n'));
    const { records, errors } = await loadRecords({ file: p, format: 'jsonl', schema, idField: 'id' });
    expect(records.map((r) => r.id)).toEqual(['a', 'c']);
    expect(errors.map((e) => [e.row, e.recordId])).toEqual([
      [2, 'b'],
      [3, undefined],
    ]);
  });

  it.each<RecordFormat>(['jsonl', 'json-array', 'json-object', 'parquet'])('%s: a FIFO, /dev/zero and a directory are BenchmarkFileErrors at once', async (format) => {
    const fifo = join(dir, `pipe-${format}`);
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    for (const p of [fifo, '/dev/zero', dir]) {
      const err = await loadRecords({ file: p, format, schema }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BenchmarkFileError);
      expect(err).toMatchObject({ file: p, reason: expect.stringMatching(/not a regular file \((FIFO|character device|directory)\)/) });
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a gzip bomb of one 256 MB line is skipped as too long with bounded memory and time; the next row is kept', async () => {
    const line = Buffer.alloc(256 * 2 ** 20, 0x61);
    const p = await file('bomb.jsonl.gz', gzipSync(Buffer.concat([Buffer.from(`${JSON.stringify(rec('a'))}\n"`), line, Buffer.from(`"\n${JSON.stringify(rec('b'))}\n`)]), { level: 1 }));
    const before = process.memoryUsage().rss;
    const started = Date.now();
    const { records, errors } = await loadRecords({ file: p, format: 'jsonl', schema, maxRecordLength: 1 << 20 });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(160 * 2 ** 20);
    expect(records.map((r) => r.id)).toEqual(['a', 'b']);
    expect(errors).toEqual([expect.objectContaining({ row: 2, reason: expect.stringMatching(/longer than|too long|length/) })]);
  }, 30_000);

  it('a file that is not Parquet is a BenchmarkFileError naming it', async () => {
    const p = await file('fake.parquet', 'PAR1 but then nothing useful');
    await expect(loadRecords({ file: p, format: 'parquet', schema })).rejects.toMatchObject({ constructor: BenchmarkFileError, file: p, reason: expect.stringMatching(/not a readable Parquet file/) });
  });
});

describe('resume file of scored items: hostile content', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eval-resume-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a repeated item keeps the first and is reported; a FIFO is a BenchmarkFileError at once; a missing file is empty', async () => {
    const item = (itemId: string, correct: boolean) => JSON.stringify({ itemId, prompt: 'p', response: 'r', extracted: 'A', score: correct ? 1 : 0, verdict: correct ? 'correct' : 'wrong' });
    const p = join(dir, 'items.jsonl');
    await writeFile(p, [item('x', true), item('y', false), item('x', false)].join('\n'));
    const { items, errors } = await readScoredItems(p);
    expect([...items.keys()]).toEqual(['x', 'y']);
    expect(items.get('x')).toMatchObject({ score: 1 });
    expect(errors).toEqual([expect.objectContaining({ constructor: DuplicateRecordError, row: 3, firstRow: 1 })]);
    const fifo = join(dir, 'pipe.jsonl');
    execFileSync('mkfifo', [fifo]);
    await expect(readScoredItems(fifo)).rejects.toMatchObject({ constructor: BenchmarkFileError, file: fifo, reason: 'not a regular file (FIFO)' });
    expect((await readScoredItems(join(dir, 'none.jsonl'))).items.size).toBe(0);
  });
});

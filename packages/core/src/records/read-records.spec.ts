import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { NotRegularFileError, RecordFileError } from '../errors';
import { parseRecordText, readRecords, type ReadRecordsOptions } from './read-records';
import type { RecordResult } from './record-result';

/** Reads `text` delivered in chunks of `size` characters (1 = every boundary is exercised). */
async function records(text: string, size: number, options: ReadRecordsOptions = {}): Promise<RecordResult[]> {
  const out: RecordResult[] = [];
  const readChunks = async function* () {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
  };
  for await (const r of readRecords('mem.json', { ...options, readChunks })) out.push(r);
  return out;
}

const summary = (rs: RecordResult[]) => rs.map((r) => (r.ok ? [r.line, r.value] : [r.line, 'ERR']));

describe('readRecords', () => {
  const arrayText = '\ufeff[\n  {"id": "a", "s": "x,]}\\"{["},\n  {"id": "b", "n": [1, [2]], "p": "c:\\\\d\\\\"},\n\n  {"id": "\u00e9\u{1F600}"}\n]\n';

  it.each([1, 3, 7, 4096])('splits a JSON array into elements with their start lines (chunk size %i)', async (size) => {
    const got = await records(arrayText, size);
    expect(summary(got)).toEqual([
      [2, { id: 'a', s: 'x,]}"{[' }],
      [3, { id: 'b', n: [1, [2]], p: 'c:\\d\\' }],
      [5, { id: 'é😀' }],
    ]);
    expect(got.map((r) => r.ok && r.index)).toEqual([0, 1, 2]);
    expect(got.every((r) => r.file === 'mem.json')).toBe(true);
  });

  it('keeps going after a broken array element and reports its line', async () => {
    const text = '[{"id": 1},\n{"id": },\n{"id": 3}, 4]';
    const got = await records(text, 5);
    expect(summary(got)).toEqual([
      [1, { id: 1 }],
      [2, 'ERR'],
      [3, { id: 3 }],
      [3, 4],
    ]);
    expect(got[1]).toMatchObject({ ok: false, file: 'mem.json', line: 2, reason: expect.stringContaining('invalid JSON') });
  });

  it.each([1, 4, 4096])('an element with an unclosed bracket or quote never swallows the next good one (chunk size %i)', async (size) => {
    const brace = '[\n  {"id": 1},\n  {"id": 2, "tags": ["x", "y"},\n  {"id": 3, "nested": {\n    "deep": [1, 2]\n  }},\n  {"id": 4}\n]';
    expect(summary(await records(brace, size))).toEqual([
      [2, { id: 1 }],
      [3, 'ERR'],
      [4, { id: 3, nested: { deep: [1, 2] } }],
      [7, { id: 4 }],
    ]);
    const quote = '[{"id": 1},\n{"id": "unterminated},\n{"id": 3}]';
    expect(summary(await records(quote, size))).toEqual([
      [1, { id: 1 }],
      [2, 'ERR'],
      [3, { id: 3 }],
    ]);
  });

  it('reports a truncated array and trailing content', async () => {
    expect(summary(await records('[{"id": 1},\n{"id": 2', 4))).toEqual([
      [1, { id: 1 }],
      [2, 'ERR'],
    ]);
    const trailing = await records('[1]\n[2]', 2);
    expect(summary(trailing)).toEqual([
      [1, 1],
      [2, 'ERR'],
    ]);
    expect(trailing[1]).toMatchObject({ reason: expect.stringContaining('after the closing') });
  });

  it.each([1, 5, 4096])('reads JSONL with blank and CRLF lines and a broken line (chunk size %i)', async (size) => {
    const text = '{"id": "a"}\r\n\n   \n{"id": "b", oops\n{"id": "\u4e2d"}';
    expect(summary(await records(text, size))).toEqual([
      [1, { id: 'a' }],
      [4, 'ERR'],
      [5, { id: '中' }],
    ]);
  });

  it('honours a forced format and ignores an empty file', async () => {
    expect(summary(await records('[1, 2]\n[3]\n', 4, { format: 'jsonl' }))).toEqual([
      [1, [1, 2]],
      [2, [3]],
    ]);
    expect(await records('  \n ', 2)).toEqual([]);
  });

  it.each([1, 6, 4096])('reads a JSON object keyed by id, one record per member (chunk size %i)', async (size) => {
    const text = '{\n  "q1": {"a": 1},\n  "q2": {"a": },\n  "q3": [1, {"b": "}"}]\n}';
    const got = await records(text, size, { format: 'json-object' });
    expect(got.map((r) => (r.ok ? [r.line, r.key, r.value] : [r.line, 'ERR']))).toEqual([
      [2, 'q1', { a: 1 }],
      [3, 'ERR'],
      [4, 'q3', [1, { b: '}' }]],
    ]);
  });

  it('skips a line or element past the length limit, counted, and keeps the rest', async () => {
    const long = `{"x": "${'a'.repeat(100)}"}`;
    const jsonl = await records(`{"id": 1}\n${long}\n{"id": 3}\n`, 7, { maxRecordLength: 50 });
    expect(summary(jsonl)).toEqual([
      [1, { id: 1 }],
      [2, 'ERR'],
      [3, { id: 3 }],
    ]);
    expect(jsonl[1]).toMatchObject({ reason: 'line longer than 50 characters' });
    const array = await records(`[{"id": 1},\n${long},\n{"id": 3}]`, 7, { maxRecordLength: 50 });
    expect(summary(array)).toEqual([
      [1, { id: 1 }],
      [2, 'ERR'],
      [3, { id: 3 }],
    ]);
    expect(array[1]).toMatchObject({ reason: 'record longer than 50 characters' });
  });

  it('skips a huge line in linear time: 64× the input costs far less than 64² the time', async () => {
    // Many small chunks of one line: a reader that re-joins or re-scans its buffer per chunk is quadratic.
    const timeFor = async (chunks: number): Promise<{ ms: number; got: RecordResult[] }> => {
      const piece = 'x'.repeat(1024);
      const readChunks = async function* () {
        yield '{"id": 1}\n"';
        for (let i = 0; i < chunks; i++) yield piece;
        yield '"\n{"id": 2}\n';
      };
      const t0 = process.hrtime.bigint();
      const got: RecordResult[] = [];
      for await (const r of readRecords('big.jsonl', { readChunks, maxRecordLength: 1 << 30 })) got.push(r);
      return { ms: Number(process.hrtime.bigint() - t0) / 1e6, got };
    };
    await timeFor(256); // warm-up
    const small = await timeFor(256);
    const large = await timeFor(256 * 64);
    expect(large.got.map((r) => r.ok)).toEqual([true, true, true]);
    expect(large.ms / Math.max(small.ms, 1)).toBeLessThan(64 * 8);
    const skipped = await (async () => {
      const out: RecordResult[] = [];
      const readChunks = async function* () {
        yield '{"id": 1}\n';
        for (let i = 0; i < 16_384; i++) yield 'y'.repeat(1024);
        yield '\n{"id": 2}';
      };
      for await (const r of readRecords('huge.jsonl', { readChunks, maxRecordLength: 1 << 20 })) out.push(r);
      return out;
    })();
    expect(summary(skipped)).toEqual([
      [1, { id: 1 }],
      [2, 'ERR'],
      [3, { id: 2 }],
    ]);
  });

  it('decodes UTF-8 split across byte chunks, gzipped or not', async () => {
    const bytes = Buffer.from('\ufeff{"s": "é😀中"}\n{"s": "ok"}\n');
    for (const data of [bytes, gzipSync(bytes)]) {
      const readChunks = async function* () {
        for (let i = 0; i < data.length; i++) yield data.subarray(i, i + 1); // every byte boundary
      };
      const got: unknown[] = [];
      for await (const r of readRecords('bytes.jsonl', { readChunks })) got.push(r.ok ? r.value : r.reason);
      expect(got).toEqual([{ s: 'é😀中' }, { s: 'ok' }]);
    }
  });

  it('parses text in memory by the same rules', () => {
    expect(summary([...parseRecordText('{"a":1}\nnope\n', 't.jsonl')])).toEqual([
      [1, { a: 1 }],
      [2, 'ERR'],
    ]);
  });

  describe('files on disk', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'smart-records-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const values = async (file: string) => {
      const got: unknown[] = [];
      for await (const r of readRecords(file)) got.push(r.ok ? r.value : `ERR ${r.line}`);
      return got;
    };

    it('reads a real file, and a gzipped one by its magic bytes whatever its name', async () => {
      const file = join(dir, 'rows.jsonl');
      writeFileSync(file, '{"a":1}\n{"a":2}\n');
      expect(await values(file)).toEqual([{ a: 1 }, { a: 2 }]);
      const gz = join(dir, 'rows.data');
      writeFileSync(gz, gzipSync('[{"a":1},\n{"a":}, {"a":3}]'));
      expect(await values(gz)).toEqual([{ a: 1 }, 'ERR 2', { a: 3 }]);
    });

    it('throws RecordFileError naming a missing file or broken gzip', async () => {
      const missing = join(dir, 'nope.json');
      await expect(readRecords(missing).next()).rejects.toBeInstanceOf(RecordFileError);
      await expect(readRecords(missing).next()).rejects.toMatchObject({ file: missing, message: expect.stringContaining('nope.json') });
      const broken = join(dir, 'broken.gz');
      writeFileSync(broken, Buffer.concat([gzipSync('{"a":1}\n'.repeat(1000)).subarray(0, 40)]));
      await expect(values(broken)).rejects.toMatchObject({ file: broken, reason: expect.stringContaining('gunzip') });
    });

    it('rejects a FIFO, a device and a directory before reading them', async () => {
      const fifo = join(dir, 'pipe.jsonl');
      execFileSync('mkfifo', [fifo]);
      await expect(readRecords(fifo).next()).rejects.toMatchObject({ constructor: NotRegularFileError, kind: 'FIFO', file: fifo });
      await expect(readRecords('/dev/zero').next()).rejects.toMatchObject({ constructor: NotRegularFileError, kind: 'character device' });
      await expect(readRecords(dir).next()).rejects.toBeInstanceOf(NotRegularFileError);
    });
  });
});

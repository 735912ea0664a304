import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceReadError } from './errors';
import { readJsonRecords, type RawRecord, type ReadJsonRecordsOptions } from './json-records';

/** Reads `text` delivered in chunks of `size` characters (1 = every boundary is exercised). */
async function records(text: string, size: number, options: ReadJsonRecordsOptions = {}): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  const readChunks = async function* () {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
  };
  for await (const r of readJsonRecords('mem.json', { ...options, readChunks })) out.push(r);
  return out;
}

const summary = (rs: RawRecord[]) => rs.map((r) => (r.ok ? [r.line, r.value] : [r.line, 'ERR']));

describe('readJsonRecords', () => {
  const arrayText = '\ufeff[\n  {"id": "a", "s": "x,]}\\"{["},\n  {"id": "b", "n": [1, [2]], "p": "c:\\\\d\\\\"},\n\n  {"id": "\u00e9\u{1F600}"}\n]\n';

  it.each([1, 3, 7, 4096])('splits a JSON array into elements with their start lines (chunk size %i)', async (size) => {
    expect(summary(await records(arrayText, size))).toEqual([
      [2, { id: 'a', s: 'x,]}"{[' }],
      [3, { id: 'b', n: [1, [2]], p: 'c:\\d\\' }],
      [5, { id: 'é😀' }],
    ]);
  });

  it('keeps going after a broken array element and reports its line', async () => {
    const text = '[{"id": 1},\n{"id": },\n{"id": 3}, 4]';
    expect(summary(await records(text, 5))).toEqual([
      [1, { id: 1 }],
      [2, 'ERR'],
      [3, { id: 3 }],
      [3, 4],
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
    expect(trailing[1]).toMatchObject({ detail: expect.stringContaining('after the closing') });
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

  it('reads a real file from disk and throws SourceReadError for a missing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smart-json-records-'));
    try {
      const file = join(dir, 'rows.jsonl');
      writeFileSync(file, '{"a":1}\n{"a":2}\n');
      const got: unknown[] = [];
      for await (const r of readJsonRecords(file)) if (r.ok) got.push(r.value);
      expect(got).toEqual([{ a: 1 }, { a: 2 }]);
      const missing = join(dir, 'nope.json');
      await expect(readJsonRecords(missing).next()).rejects.toBeInstanceOf(SourceReadError);
      await expect(readJsonRecords(missing).next()).rejects.toMatchObject({ file: missing, message: expect.stringContaining('nope.json') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

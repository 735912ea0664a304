import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DatasetRowError, SourceReadError } from './errors';
import { loadM3CoT, loadScienceQA } from './load-list-records';
import { loadMathV360K } from './load-mathv360k';
import { collectSamples } from './sample-source';
import { readRationales } from './synthetic/read-rationales';

const human = (q: string) => `<image>\nQuestion: ${q}\nChoices:\n(A) one\n(B) two`;
const row = (id: string, image = 'a.png', q = `question ${id}?`) => ({ id, image, conversations: [{ from: 'human', value: human(q) }, { from: 'gpt', value: 'The answer is B' }] });
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('dataset loaders: hostile sources', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'datasets-hostile-'));
    mkdirSync(join(dir, 'img'));
    writeFileSync(join(dir, 'img', 'a.png'), 'png');
    execFileSync('mkfifo', [join(dir, 'img', 'pipe.png')]);
    mkdirSync(join(dir, 'img', 'folder.png'));
    execFileSync('mkfifo', [join(dir, 'source.jsonl')]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const load = (file: string) => collectSamples(loadMathV360K({ file, imageRoot: join(dir, 'img') }));

  it.each([
    { name: 'a FIFO', file: () => join(dir, 'source.jsonl') },
    { name: '/dev/zero', file: () => '/dev/zero' },
    { name: 'a directory', file: () => dir },
    { name: 'a missing file', file: () => join(dir, 'none.jsonl') },
  ])('$name as the source is a SourceReadError naming it, at once', async ({ file }) => {
    const started = Date.now();
    for (const loader of [loadMathV360K, loadScienceQA, loadM3CoT]) {
      const err = await collectSamples(loader({ file: file() })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SourceReadError);
      expect(err).toMatchObject({ file: file() });
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a broken gzip source is a SourceReadError', async () => {
    const p = join(dir, 'broken.jsonl.gz');
    writeFileSync(p, gzipSync(Buffer.from(jsonl([row('a')]))).subarray(0, 12));
    await expect(load(p)).rejects.toBeInstanceOf(SourceReadError);
  });

  it('repeated ids, bad rows, images that are FIFOs or folders: each skipped and counted, the good rows kept', async () => {
    const p = join(dir, 'mixed.jsonl');
    const lines = [
      JSON.stringify(row('q1')),
      JSON.stringify(row('q1', 'a.png', 'a different question?')),
      '{"id": "q3", "image": "a.png", "conversations": [',
      JSON.stringify(row('q4', 'pipe.png')),
      JSON.stringify(row('q5', 'folder.png')),
      JSON.stringify({ id: 'q6', image: 'a.png', conversations: 'not a list' }),
      JSON.stringify({ ...row('q7'), meta: { kind: 'count', file: 'forged.jsonl' } }),
      JSON.stringify({ ...row('q8'), meta: { kind: { nested: true } } }),
    ];
    writeFileSync(p, lines.join('\n') + '\n');
    const started = Date.now();
    const { samples, summary } = await load(p);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(samples.map((s) => s.id)).toEqual(['q1', 'q7']);
    expect(samples[0]!.question).toBe('question q1?');
    // A row's tags are kept, but cannot overwrite where the row came from.
    expect(samples[1]!.meta).toEqual({ kind: 'count', file: p, line: 7 });
    expect(summary).toMatchObject({ read: 8, kept: 2, skipped: { 'duplicate-id': 1, 'invalid-json': 1, 'missing-image': 2, 'schema-violation': 2 } });
    expect(summary.examples.map((e) => [e.line, e.reason])).toEqual([
      [2, 'duplicate-id'],
      [3, 'invalid-json'],
      [4, 'missing-image'],
      [5, 'missing-image'],
      [6, 'schema-violation'],
    ]); // the first five skipped rows are kept as examples; row 8 is counted above
  });

  it('a huge line is skipped in bounded time and the next row is kept', async () => {
    const p = join(dir, 'huge.jsonl');
    writeFileSync(p, `${JSON.stringify(row('q1'))}\n"${'x'.repeat(48 * 2 ** 20)}"\n${JSON.stringify(row('q2'))}\n`);
    const started = Date.now();
    const { samples, summary } = await collectSamples(loadMathV360K({ file: p, imageRoot: join(dir, 'img'), maxRecordLength: 1 << 20 }));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(samples.map((s) => s.id)).toEqual(['q1', 'q2']);
    expect(summary.skipped).toEqual({ 'invalid-json': 1 });
  }, 20_000);

  it('a rationale sidecar with a repeated id is a DatasetRowError naming both lines', async () => {
    const p = join(dir, 'rationales.jsonl');
    const r = (id: string) => ({ id, kind: 'count', answer: 'A', rationale: `because ${id}` });
    writeFileSync(p, jsonl([r('a'), r('b'), r('a')]));
    await expect(readRationales(p)).rejects.toMatchObject({ constructor: DatasetRowError, file: p, line: 3, reason: 'duplicate id a (first at line 1)' });
    await expect(readRationales(join(dir, 'source.jsonl'))).rejects.toBeInstanceOf(SourceReadError);
  });
});

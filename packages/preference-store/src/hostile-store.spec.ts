import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotRegularFileError } from '@smart/core';
import type { Sample } from '@smart/types';
import { makePairWrite, makeSample, tempDir, tinyPng } from '../test/fixtures/pair-fixtures';
import { useTempStore } from '../test/fixtures/temp-store';
import { ImportFileError, InvalidRecordError, NotSqliteFileError, SampleInUseError, StoreConstraintError, StoreFileError, StoreSqliteError } from './errors';
import { exportLlamaFactory, exportTrl } from './export-pairs';
import { importLlamaFactory, importParquet, importTrl } from './import-pairs';
import { openStore } from './preference-store';

describe('openStore: paths that are not a store', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir();
    execFileSync('mkfifo', [join(tmp.dir, 'pipe.sqlite')]);
    writeFileSync(join(tmp.dir, 'notes.txt'), 'this is not sqlite, just a text file of a careless user\n');
    writeFileSync(join(tmp.dir, 'short.sqlite'), 'SQLite');
    writeFileSync(join(tmp.dir, 'image.sqlite'), tinyPng(1));
    writeFileSync(join(tmp.dir, 'a-file'), 'x');
  });
  afterAll(() => tmp.cleanup());

  it.each([
    { name: 'a FIFO', path: () => join(tmp.dir, 'pipe.sqlite'), type: StoreFileError, reason: 'not a regular file (FIFO)' },
    { name: '/dev/zero', path: () => '/dev/zero', type: StoreFileError, reason: 'not a regular file (character device)' },
    { name: 'a directory', path: () => tmp.dir, type: StoreFileError, reason: 'not a regular file (directory)' },
    { name: 'a text file', path: () => join(tmp.dir, 'notes.txt'), type: NotSqliteFileError, reason: 'not an SQLite database (starts with "this is not sqli")' },
    { name: 'a 6-byte file', path: () => join(tmp.dir, 'short.sqlite'), type: NotSqliteFileError, reason: 'not an SQLite database (starts with "SQLite")' },
    { name: 'a PNG', path: () => join(tmp.dir, 'image.sqlite'), type: NotSqliteFileError, reason: expect.stringMatching(/^not an SQLite database \(starts with ".PNG\\r\\n/) },
    { name: 'a path under a file', path: () => join(tmp.dir, 'a-file', 'store.sqlite'), type: StoreFileError, reason: 'cannot open (EEXIST)' },
  ])('$name is a typed error naming it, at once', ({ path, type, reason }) => {
    const started = Date.now();
    let err: unknown;
    try {
      openStore(path()).close();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({ file: path(), reason });
    expect(Date.now() - started).toBeLessThan(3000);
    for (const p of ['notes.txt', 'image.sqlite']) expect(readFileSync(join(tmp.dir, p)).length).toBeGreaterThan(6); // never truncated
  });

  it('read-only open of a missing file is a StoreFileError, and nothing is created', () => {
    const p = join(tmp.dir, 'missing.sqlite');
    expect(() => openStore(p, { readonly: true })).toThrow(expect.objectContaining({ constructor: StoreFileError, file: p, reason: 'file does not exist' }));
    expect(() => readFileSync(p)).toThrow();
  });
});

describe('putSamples: validation and samples in use', () => {
  const t = useTempStore();
  const bad = (patch: Partial<Sample> | ((s: Sample) => Sample)): Sample => (typeof patch === 'function' ? patch(makeSample(1)) : { ...makeSample(1), ...patch });

  it.each([
    { name: 'empty id', sample: () => bad({ id: '' }), key: '', reason: /id:/ },
    { name: 'answer not among the choices', sample: () => bad({ answer: 'H' }), key: 's00001', reason: /answer: answer is not one of the choices/ },
    { name: 'one choice', sample: () => bad((s) => ({ ...s, choices: s.choices.slice(0, 1), answer: 'A' })), key: 's00001', reason: /choices:/ },
    { name: 'nine choices', sample: () => bad((s) => ({ ...s, choices: Array.from({ length: 9 }, () => ({ letter: 'A' as const, text: 'x' })) })), key: 's00001', reason: /choices:/ },
    { name: 'repeated letters', sample: () => bad((s) => ({ ...s, choices: s.choices.map((c) => ({ ...c, letter: 'B' as const })), answer: 'B' })), key: 's00001', reason: /choice letters repeat/ },
    { name: 'a letter outside A–H', sample: () => bad({ answer: 'Z' as never }), key: 's00001', reason: /answer:/ },
    { name: 'a malformed sha256', sample: () => bad({ image: { path: 'a.png', sha256: 'abc' } }), key: 's00001', reason: /image\.sha256:/ },
    { name: 'an unknown source', sample: () => bad({ source: 'kaggle' as never }), key: 's00001', reason: /source:/ },
    { name: 'a nested meta value', sample: () => bad({ meta: { row: { a: 1 } as never } }), key: 's00001', reason: /meta\.row:/ },
    { name: 'an empty image path', sample: () => bad({ image: { path: '' } }), key: 's00001', reason: /image\.path:/ },
  ])('$name is an InvalidRecordError and the batch writes nothing', ({ sample, key, reason }) => {
    expect(() => t.store.putSamples([{ sample: makeSample(7), sourceName: 'a' }, { sample: sample(), sourceName: 'a' }])).toThrow(
      expect.objectContaining({ constructor: InvalidRecordError, what: 'sample', key, reason: expect.stringMatching(reason) }),
    );
    expect(t.store.getSample('s00007')).toBeUndefined();
  });

  function withPair(i: number): void {
    t.store.putSamples([{ sample: makeSample(i), sourceName: 'a', imageBytes: tinyPng(i) }]);
    t.store.assignSamples(0, [makeSample(i).id]);
    t.store.recordPair(makePairWrite(i, 0));
  }

  it.each([
    { name: 'question', patch: { question: 'Edited?' } },
    { name: 'answer', patch: { answer: 'D' as const } },
    { name: 'choices', patch: { choices: makeSample(1).choices.map((c) => ({ ...c, text: `${c.text}!` })) } },
    { name: 'image', patch: { image: { path: 'img/other.png' } } },
  ])('a sample a pair was made from is never rewritten ($name changed)', ({ name, patch }) => {
    withPair(1);
    const before = t.store.getSample('s00001')!;
    expect(() => t.store.putSamples([{ sample: { ...makeSample(1), ...patch }, sourceName: 'b' }])).toThrow(
      expect.objectContaining({ constructor: SampleInUseError, sampleId: 's00001', generations: 2, pairs: 1, changed: [name] }),
    );
    expect(t.store.getSample('s00001')).toEqual(before);
    expect(t.store.listPairs()).toHaveLength(1);
  });

  it('the same sample again, or new provenance only, is accepted; the stored image hash is kept', () => {
    withPair(2);
    const stored = t.store.getSample('s00002')!.sample;
    t.store.putSamples([{ sample: makeSample(2), sourceName: 'a' }]); // no bytes, no hash: keeps the hash
    expect(t.store.getSample('s00002')!.sample).toEqual(stored);
    t.store.putSamples([{ sample: { ...makeSample(2), meta: { split: 'val' } }, sourceName: 'renamed' }]);
    expect(t.store.getSample('s00002')).toMatchObject({ sourceName: 'renamed', sample: { meta: { split: 'val' }, image: { sha256: stored.image.sha256 } } });
  });

  it('a sample nothing was made from may still change', () => {
    t.store.putSamples([{ sample: makeSample(3), sourceName: 'a' }]);
    t.store.putSamples([{ sample: { ...makeSample(3), question: 'Fixed typo?' }, sourceName: 'a' }]);
    expect(t.store.getSample('s00003')!.sample.question).toBe('Fixed typo?');
  });
});

describe('SQLite failures become typed store errors', () => {
  const t = useTempStore();

  it('a CHECK or foreign-key violation is a StoreConstraintError with its code', () => {
    expect(() => t.store.transaction(() => t.store.db.prepare('INSERT INTO iterations (k, created_at) VALUES (-1, ?)').run('now'))).toThrow(
      expect.objectContaining({ constructor: StoreConstraintError, file: t.file, code: 'SQLITE_CONSTRAINT_CHECK' }),
    );
    expect(() => t.store.transaction(() => t.store.db.prepare("INSERT INTO iteration_samples (sample_id, iteration) VALUES ('nope', 0)").run())).toThrow(
      expect.objectContaining({ constructor: StoreConstraintError, code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }),
    );
  });

  it('a pair whose wrong answer is the answer is refused by the schema, typed', () => {
    t.store.putSamples([{ sample: makeSample(4), sourceName: 'a' }]);
    t.store.assignSamples(0, ['s00004']);
    const w = makePairWrite(4, 0);
    w.negative.targetAnswer = w.positive.targetAnswer;
    expect(() => t.store.recordPair(w)).toThrow(StoreConstraintError);
    expect(t.store.listPairs()).toEqual([]);
  });

  it('a write to a read-only store is a StoreSqliteError with SQLite code', () => {
    const ro = openStore(t.file, { readonly: true });
    try {
      expect(() => ro.putImage(Buffer.from('x'))).toThrow(expect.objectContaining({ constructor: StoreSqliteError, code: 'SQLITE_READONLY' }));
    } finally {
      ro.close();
    }
  });
});

describe('image folder and import files', () => {
  const t = useTempStore();

  it('a truncated image file under its hash is rewritten on the next put, not trusted', () => {
    const png = tinyPng(9);
    const sha = t.store.putImage(png);
    const path = t.store.images.pathOf(t.store.getImageRecord(sha)!.file);
    truncateSync(path, 10);
    t.store.putImage(png);
    expect(readFileSync(path).equals(png)).toBe(true);
  });

  it('an image file replaced by a FIFO is refused at once, not read forever', () => {
    const sha = t.store.putImage(tinyPng(10));
    const path = t.store.images.pathOf(t.store.getImageRecord(sha)!.file);
    rmSync(path);
    execFileSync('mkfifo', [path]);
    expect(() => t.store.getImage(sha)).toThrow(NotRegularFileError);
  });

  it.each([
    { name: 'TRL from a FIFO', run: (p: string) => Promise.resolve().then(() => importTrl(p)) },
    { name: 'LLaMA-Factory from a FIFO', run: (p: string) => Promise.resolve().then(() => importLlamaFactory(p)) },
    { name: 'Parquet from a FIFO', run: (p: string) => importParquet(p) },
  ])('import $name is an ImportFileError at once', async ({ run }) => {
    const p = join(t.dir, 'pairs.in');
    execFileSync('mkfifo', [p]);
    await expect(run(p)).rejects.toMatchObject({ constructor: ImportFileError, file: p, reason: 'not a regular file (FIFO)' });
    await expect(run('/dev/zero')).rejects.toMatchObject({ constructor: ImportFileError, reason: 'not a regular file (character device)' });
    await expect(run(t.dir)).rejects.toMatchObject({ constructor: ImportFileError, reason: 'not a regular file (directory)' });
  });

  it('an import with the same sample and iteration twice keeps the first and reports the repeat', async () => {
    for (const i of [1, 2]) {
      t.store.putSamples([{ sample: makeSample(i), sourceName: 'a', imageBytes: tinyPng(i) }]);
      t.store.assignSamples(0, [makeSample(i).id]);
      t.store.recordPair(makePairWrite(i, 0));
    }
    const out = join(t.dir, 'export');
    const { file } = await exportTrl(t.store, { dir: out });
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const again = { ...JSON.parse(lines[0]!), chosen: [{ role: 'assistant', content: [{ type: 'text', text: 'a later, different rationale' }] }] };
    writeFileSync(file, [...lines, JSON.stringify(again)].join('\n') + '\n');
    const { pairs, errors } = importTrl(file);
    expect(pairs.map((p) => p.sampleId)).toEqual(['s00001', 's00002']);
    expect(pairs[0]!.chosen).toBe(makePairWrite(1, 0).positive.text);
    expect(errors).toEqual([expect.objectContaining({ file, row: 3, reason: 'duplicate pair for sample s00001 in iteration 0 (first at row 1; the first is kept)' })]);
  });

  it.each(['{"other": ', '[1, 2]', 'null'])('LLaMA-Factory export refuses to overwrite a dataset_info.json of %s', async (text) => {
    const out = join(t.dir, 'export');
    await exportLlamaFactory(t.store, { dir: out });
    writeFileSync(join(out, 'dataset_info.json'), text);
    await expect(exportLlamaFactory(t.store, { dir: out })).rejects.toMatchObject({ constructor: ImportFileError, file: join(out, 'dataset_info.json') });
    expect(readFileSync(join(out, 'dataset_info.json'), 'utf8')).toBe(text);
  });
});

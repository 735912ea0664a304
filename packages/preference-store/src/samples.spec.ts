import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSample, tempDir, tinyPng } from '../test/fixtures/pair-fixtures';
import { IterationOverlapError, MissingRecordError } from './errors';
import { sha256Hex } from './image-file';
import { openStore, type PreferenceStore } from './preference-store';

describe('samples, images and iterations', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: PreferenceStore;
  beforeEach(() => {
    tmp = tempDir();
    store = openStore(join(tmp.dir, 'store.sqlite'));
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  it('reads samples back exactly, with optional fields absent or present', () => {
    const samples = [makeSample(0), makeSample(1), makeSample(3)];
    const stored = store.putSamples(samples.map((sample, i) => ({ sample, sourceName: `src-${i}`, imageBytes: tinyPng(i) })));
    expect(stored[1]!.image.sha256).toBe(sha256Hex(tinyPng(1)));
    for (const [i, s] of stored.entries()) expect(store.getSample(s.id)).toEqual({ sample: s, sourceName: `src-${i}` });
    expect(store.getSample('s00001')!.sample).not.toHaveProperty('hint');
    expect(store.getSample('s00003')!.sample.hint).toBe('Count carefully (3).');
    expect(store.getSample('s00000')!.sample.meta).toEqual({ split: 'train', row: 0, hard: true });
    expect(store.getSample('nope')).toBeUndefined();
  });

  it('stores each distinct image once, keyed by sha256, and detects its type', () => {
    const png = tinyPng(7);
    store.putSamples([
      { sample: makeSample(1), sourceName: 'a', imageBytes: png },
      { sample: makeSample(2), sourceName: 'a', imageBytes: Buffer.from(png) },
    ]);
    expect(store.db.prepare('SELECT count(*) FROM images').pluck().get()).toBe(1);
    expect(readdirSync(join(tmp.dir, 'images'))).toEqual([`${sha256Hex(png)}.png`]);
    const img = store.getImage(sha256Hex(png))!;
    expect(img.mime).toBe('image/png');
    expect(Buffer.compare(img.bytes, png)).toBe(0);
    expect(store.getImageRecord(sha256Hex(png))).toEqual({ sha256: sha256Hex(png), mime: 'image/png', size: png.length, file: `${sha256Hex(png)}.png` });
    expect(store.checkIntegrity()).toEqual([]);
  });

  it('reports a missing or truncated image file', () => {
    const sha = store.putImage(tinyPng(1));
    const other = store.putImage(Buffer.from('GIF89a-not-really'));
    expect(store.getImageRecord(other)!.file).toBe(`${other}.gif`);
    writeFileSync(join(tmp.dir, 'images', `${sha}.png`), 'short');
    rmSync(join(tmp.dir, 'images', `${other}.gif`));
    expect(store.checkIntegrity()).toEqual([
      `image file has the wrong size: ${join(tmp.dir, 'images', `${sha}.png`)}`,
      `image file missing: ${join(tmp.dir, 'images', `${other}.gif`)}`,
    ]);
    expect(() => store.getImage(other)).toThrow(MissingRecordError);
    expect(store.getImage('0'.repeat(64))).toBeUndefined();
  });

  it('upserts samples idempotently', () => {
    const s = makeSample(5);
    store.putSamples([{ sample: s, sourceName: 'a' }]);
    store.putSamples([{ sample: { ...s, question: 'changed?' }, sourceName: 'b' }]);
    expect(store.db.prepare('SELECT count(*) FROM samples').pluck().get()).toBe(1);
    expect(store.getSample(s.id)).toEqual({ sample: { ...s, question: 'changed?' }, sourceName: 'b' });
  });

  it('rejects an image hash the store does not hold', () => {
    const s = { ...makeSample(5), image: { path: 'x.png', sha256: 'f'.repeat(64) } };
    expect(() => store.putSamples([{ sample: s, sourceName: 'a' }])).toThrow(MissingRecordError);
  });

  it('keeps three iterations disjoint and makes re-assignment a no-op', () => {
    const ids = Array.from({ length: 30 }, (_, i) => makeSample(i).id);
    store.putSamples(ids.map((_, i) => ({ sample: makeSample(i), sourceName: 'a' })));
    expect(store.assignSamples(0, ids.slice(0, 10))).toBe(10);
    expect(store.assignSamples(1, ids.slice(10, 20), 'iter-1-model')).toBe(10);
    expect(store.assignSamples(2, ids.slice(20, 30))).toBe(10);
    expect(store.assignSamples(1, ids.slice(10, 15))).toBe(0);
    expect(store.samplesOfIteration(1)).toEqual(ids.slice(10, 20));
    expect(store.usedSampleIds().size).toBe(30);

    const err = (() => {
      try {
        store.assignSamples(2, [ids[25]!, ids[3]!]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(IterationOverlapError);
    expect(err).toMatchObject({ sampleId: ids[3], iteration: 2, existingIteration: 0 });
    expect(store.samplesOfIteration(0)).toHaveLength(10);
  });

  it('enforces disjointness in the schema, not only in code', () => {
    store.putSamples([{ sample: makeSample(1), sourceName: 'a' }]);
    store.assignSamples(0, ['s00001']);
    store.assignSamples(1, []);
    expect(() => store.db.prepare("INSERT INTO iteration_samples (sample_id, iteration) VALUES ('s00001', 1)").run()).toThrow(
      /UNIQUE constraint failed/,
    );
  });

  it('refuses to assign an unknown sample and rolls back the whole batch', () => {
    store.putSamples([{ sample: makeSample(1), sourceName: 'a' }]);
    expect(() => store.assignSamples(0, ['s00001', 'ghost'])).toThrow(MissingRecordError);
    expect(store.samplesOfIteration(0)).toEqual([]);
  });
});

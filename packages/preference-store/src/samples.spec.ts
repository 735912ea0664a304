import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSample, tinyPng } from '../test/fixtures/pair-fixtures';
import { useTempStore } from '../test/fixtures/temp-store';
import { IterationOverlapError, MissingRecordError } from './errors';
import { sha256Hex } from './image-file';

describe('samples, images and iterations', () => {
  const t = useTempStore();

  it('reads samples back exactly, with optional fields absent or present', () => {
    const samples = [makeSample(0), makeSample(1), makeSample(3)];
    const stored = t.store.putSamples(samples.map((sample, i) => ({ sample, sourceName: `src-${i}`, imageBytes: tinyPng(i) })));
    expect(stored[1]!.image.sha256).toBe(sha256Hex(tinyPng(1)));
    for (const [i, s] of stored.entries()) expect(t.store.getSample(s.id)).toEqual({ sample: s, sourceName: `src-${i}` });
    expect(t.store.getSample('s00001')!.sample).not.toHaveProperty('hint');
    expect(t.store.getSample('s00003')!.sample.hint).toBe('Count carefully (3).');
    expect(t.store.getSample('s00000')!.sample.meta).toEqual({ split: 'train', row: 0, hard: true });
    expect(t.store.getSample('nope')).toBeUndefined();
  });

  it('stores each distinct image once, keyed by sha256, and detects its type', () => {
    const png = tinyPng(7);
    t.store.putSamples([
      { sample: makeSample(1), sourceName: 'a', imageBytes: png },
      { sample: makeSample(2), sourceName: 'a', imageBytes: Buffer.from(png) },
    ]);
    expect(t.store.db.prepare('SELECT count(*) FROM images').pluck().get()).toBe(1);
    expect(readdirSync(join(t.dir, 'images'))).toEqual([`${sha256Hex(png)}.png`]);
    const img = t.store.getImage(sha256Hex(png))!;
    expect(img.mime).toBe('image/png');
    expect(Buffer.compare(img.bytes, png)).toBe(0);
    expect(t.store.getImageRecord(sha256Hex(png))).toEqual({ sha256: sha256Hex(png), mime: 'image/png', size: png.length, file: `${sha256Hex(png)}.png` });
    expect(t.store.checkIntegrity()).toEqual([]);
  });

  it('reports a missing or truncated image file', () => {
    const sha = t.store.putImage(tinyPng(1));
    const other = t.store.putImage(Buffer.from('GIF89a-not-really'));
    expect(t.store.getImageRecord(other)!.file).toBe(`${other}.gif`);
    writeFileSync(join(t.dir, 'images', `${sha}.png`), 'short');
    rmSync(join(t.dir, 'images', `${other}.gif`));
    expect(t.store.checkIntegrity()).toEqual([
      `image file has the wrong size: ${join(t.dir, 'images', `${sha}.png`)}`,
      `image file missing: ${join(t.dir, 'images', `${other}.gif`)}`,
    ]);
    expect(() => t.store.getImage(other)).toThrow(MissingRecordError);
    expect(t.store.getImage('0'.repeat(64))).toBeUndefined();
  });

  it('upserts samples idempotently', () => {
    const s = makeSample(5);
    t.store.putSamples([{ sample: s, sourceName: 'a' }]);
    t.store.putSamples([{ sample: { ...s, question: 'changed?' }, sourceName: 'b' }]);
    expect(t.store.db.prepare('SELECT count(*) FROM samples').pluck().get()).toBe(1);
    expect(t.store.getSample(s.id)).toEqual({ sample: { ...s, question: 'changed?' }, sourceName: 'b' });
  });

  it('rejects an image hash the store does not hold', () => {
    const s = { ...makeSample(5), image: { path: 'x.png', sha256: 'f'.repeat(64) } };
    expect(() => t.store.putSamples([{ sample: s, sourceName: 'a' }])).toThrow(MissingRecordError);
  });

  it('keeps three iterations disjoint and makes re-assignment a no-op', () => {
    const ids = Array.from({ length: 30 }, (_, i) => makeSample(i).id);
    t.store.putSamples(ids.map((_, i) => ({ sample: makeSample(i), sourceName: 'a' })));
    expect(t.store.assignSamples(0, ids.slice(0, 10))).toBe(10);
    expect(t.store.assignSamples(1, ids.slice(10, 20), 'iter-1-model')).toBe(10);
    expect(t.store.assignSamples(2, ids.slice(20, 30))).toBe(10);
    expect(t.store.assignSamples(1, ids.slice(10, 15))).toBe(0);
    expect(t.store.samplesOfIteration(1)).toEqual(ids.slice(10, 20));
    expect(t.store.usedSampleIds().size).toBe(30);

    const err = (() => {
      try {
        t.store.assignSamples(2, [ids[25]!, ids[3]!]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(IterationOverlapError);
    expect(err).toMatchObject({ sampleId: ids[3], iteration: 2, existingIteration: 0 });
    expect(t.store.samplesOfIteration(0)).toHaveLength(10);
  });

  it('enforces disjointness in the schema, not only in code', () => {
    t.store.putSamples([{ sample: makeSample(1), sourceName: 'a' }]);
    t.store.assignSamples(0, ['s00001']);
    t.store.assignSamples(1, []);
    expect(() => t.store.db.prepare("INSERT INTO iteration_samples (sample_id, iteration) VALUES ('s00001', 1)").run()).toThrow(
      /UNIQUE constraint failed/,
    );
  });

  it('refuses to assign an unknown sample and rolls back the whole batch', () => {
    t.store.putSamples([{ sample: makeSample(1), sourceName: 'a' }]);
    expect(() => t.store.assignSamples(0, ['s00001', 'ghost'])).toThrow(MissingRecordError);
    expect(t.store.samplesOfIteration(0)).toEqual([]);
  });
});

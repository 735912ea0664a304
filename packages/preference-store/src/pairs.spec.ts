import { makePairWrite, makeSample, tinyPng } from '../test/fixtures/pair-fixtures';
import { useTempStore } from '../test/fixtures/temp-store';
import { MissingRecordError } from './errors';
import { sha256Hex } from './image-file';
import type { PreferenceStore } from './preference-store';

describe('generations, pairs and resume queries', () => {
  const t = useTempStore({ now: () => new Date('2026-01-02T03:04:05Z') });
  let store: PreferenceStore;
  const N = 12;
  beforeEach(() => {
    store = t.store;
    const idx = Array.from({ length: N }, (_, i) => i);
    store.putSamples(idx.map((i) => ({ sample: makeSample(i), sourceName: 'synthetic', imageBytes: tinyPng(i) })));
    store.assignSamples(0, idx.map((i) => makeSample(i).id));
  });

  it('stores a generation with all its provenance and upserts on (sample, iteration, kind, candidate)', () => {
    const w = makePairWrite(3, 0);
    const g = { ...w.positive, sampleId: 's00003', iteration: 0, kind: 'positive' as const };
    const id = store.putGeneration(g);
    expect(store.getGeneration('s00003', 0, 'positive')).toEqual({ ...g, id, candidate: 0, seed: 3, createdAt: '2026-01-02T03:04:05.000Z' });
    expect(store.putGeneration({ ...g, text: 'rewritten' })).toBe(id);
    expect(store.getGeneration('s00003', 0, 'positive')!.text).toBe('rewritten');
    expect(store.listGenerations('s00003', 0)).toHaveLength(1);
    const neg = store.getGeneration('s00003', 0, 'negative');
    expect(neg).toBeUndefined();
  });

  it("keeps a negative's augmentation (the seed that rebuilds its image) and replaces it on upsert", () => {
    const w = makePairWrite(4, 0);
    const augmentation = { seed: 123456789, profile: 'paper', noiseSpace: 'model-input' as const, noiseStep: 600, steps: { horizontalFlip: true, erase: null } };
    const g = { ...w.negative, sampleId: 's00004', iteration: 0, kind: 'negative' as const, augmentation };
    store.putGeneration(g);
    expect(store.getGeneration('s00004', 0, 'negative')!.augmentation).toEqual(augmentation);
    store.putGeneration({ ...g, augmentation: { ...augmentation, seed: 7, noiseSpace: 'image' } });
    expect(store.getGeneration('s00004', 0, 'negative')!.augmentation).toMatchObject({ seed: 7, noiseSpace: 'image' });
    const { augmentation: _dropped, ...clean } = g;
    store.putGeneration(clean);
    expect(store.getGeneration('s00004', 0, 'negative')!.augmentation).toBeUndefined();
  });

  it('refuses rationales for a sample outside the iteration', () => {
    const w = makePairWrite(3, 1);
    expect(() => store.putGeneration({ ...w.positive, sampleId: 's00003', iteration: 1, kind: 'positive' })).toThrow(MissingRecordError);
  });

  it('answers the resume queries stage by stage', () => {
    for (const i of [0, 1, 2, 3]) {
      const w = makePairWrite(i, 0);
      store.putGeneration({ ...w.positive, sampleId: w.verdict.sampleId, iteration: 0, kind: 'positive' });
    }
    for (const i of [2, 3, 4]) {
      const w = makePairWrite(i, 0);
      store.putGeneration({ ...w.negative, sampleId: w.verdict.sampleId, iteration: 0, kind: 'negative' });
    }
    store.recordVerdict(makePairWrite(3, 0).verdict);
    const ids = (xs: number[]) => xs.map((i) => makeSample(i).id);
    expect(store.samplesMissing(0, 'positive')).toEqual(ids([4, 5, 6, 7, 8, 9, 10, 11]));
    expect(store.samplesMissing(0, 'negative')).toEqual(ids([0, 1, 5, 6, 7, 8, 9, 10, 11]));
    expect(store.samplesAwaitingVerdict(0)).toEqual(ids([2]));
    expect(() => store.recordVerdict(makePairWrite(0, 0).verdict)).toThrow(/negative rationale not found/);
  });

  it('records kept and dropped pairs and counts the funnel by drop reason', () => {
    for (let i = 0; i < N - 2; i++) store.recordPair(makePairWrite(i, 0));
    store.recordVerdict({ ...makePairWrite(1, 0).verdict, dropReasons: ['chosen-circular', 'keyword'] });
    expect(store.funnel(0)).toEqual({
      samples: 12,
      withPositive: 10,
      withNegative: 10,
      withBoth: 10,
      judged: 10,
      kept: 7, // 0 and 5 are too short; 1 re-judged as circular + keyword
      dropped: 3,
      dropReasons: { 'too-short': 2, 'chosen-circular': 1, keyword: 1 },
    });
    expect(store.funnel()).toEqual(store.funnel(0));
    expect(store.funnel(3)).toMatchObject({ samples: 0, judged: 0, dropReasons: {} });
    expect(store.listPairs({ kept: false }).map((p) => p.sampleId)).toEqual(['s00000', 's00001', 's00005']);
  });

  it('returns pairs with the chosen/rejected texts, answers and content-addressed image path', () => {
    store.recordPair(makePairWrite(6, 0));
    const w = makePairWrite(6, 0);
    const [p] = store.listPairs({ iteration: 0, kept: true });
    expect(p).toEqual({
      sampleId: 's00006',
      prompt: w.verdict.prompt,
      image: `images/${sha256Hex(tinyPng(6))}.png`,
      chosen: w.positive.text,
      rejected: w.negative.text,
      answer: 'C',
      wrongAnswer: 'D',
      iteration: 0,
      kept: true,
      dropReasons: [],
      imageSha256: sha256Hex(tinyPng(6)),
      refLogpChosen: null,
      refLogpRejected: null,
    });
  });

  it('is idempotent: replaying the same writes changes nothing', () => {
    const writes = Array.from({ length: N }, (_, i) => makePairWrite(i, 0));
    store.recordPairs(writes);
    const before = store.listPairs();
    store.recordPairs(writes);
    expect(store.listPairs()).toEqual(before);
    expect(store.db.prepare('SELECT count(*) FROM generations').pluck().get()).toBe(2 * N);
  });

  it('rolls back a whole batch when one pair in it is invalid', () => {
    const bad = makePairWrite(2, 0);
    bad.negative = { ...bad.negative, targetAnswer: undefined } as typeof bad.negative;
    expect(() => store.recordPairs([makePairWrite(1, 0), bad])).toThrow(MissingRecordError);
    expect(store.listPairs()).toEqual([]);
    expect(store.db.prepare('SELECT count(*) FROM generations').pluck().get()).toBe(0);
  });

  it('keeps reference log-probs on an identical replay and clears them when a rationale changes', () => {
    const w = makePairWrite(2, 0);
    store.recordPair(w);
    store.setReferenceLogps('s00002', 0, -12.5, -30.25);
    store.recordPair(w);
    expect(store.listPairs()[0]).toMatchObject({ refLogpChosen: -12.5, refLogpRejected: -30.25 });
    store.recordPair({ ...w, negative: { ...w.negative, text: 'another negative' } });
    expect(store.listPairs()[0]).toMatchObject({ rejected: 'another negative', refLogpChosen: null, refLogpRejected: null });
    expect(() => store.setReferenceLogps('s00009', 0, 1, 2)).toThrow(MissingRecordError);
  });

  it('rejects inconsistent verdict rows in the schema itself', () => {
    store.recordPair(makePairWrite(2, 0));
    expect(() => store.db.prepare("UPDATE pairs SET drop_reasons = '[\"keyword\"]' WHERE kept = 1").run()).toThrow(/CHECK constraint/);
    expect(() => store.db.prepare("UPDATE pairs SET wrong_answer = answer").run()).toThrow(/CHECK constraint/);
    expect(() => store.db.prepare('DELETE FROM generations').run()).toThrow(/FOREIGN KEY/);
  });
});

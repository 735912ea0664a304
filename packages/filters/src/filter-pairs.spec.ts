import { filterPairs } from './filter-pairs';
import { anglePair } from '../test/pair';

describe('filterPairs', () => {
  const candidates = [
    anglePair({ sampleId: 'ok' }),
    anglePair({ sampleId: 'no-answer', chosen: 'Step 1, it is (B). Step 2, done.' }),
    anglePair({ sampleId: 'loop', chosen: 'the angle is the angle is the angle is the angle is (B)' }),
    anglePair({ sampleId: 'neg-wrong', rejected: 'Step 1, hmm.\nStep 2, so (B).' }),
    anglePair({ sampleId: 'however', chosen: 'Step 1, however.\nStep 2, (B) 115°.' }),
    anglePair({ sampleId: 'short', chosen: 'x\n(B)' }),
  ];

  it('paper profile: conclusion then circularity, counted by reason', () => {
    const out = filterPairs(candidates, 'paper');
    expect(out.kept.map((p) => p.sampleId)).toEqual(['ok', 'however', 'short']);
    expect(out.counts).toEqual({ 'chosen-missing-answer': 1, 'chosen-circular': 1, 'rejected-missing-answer': 1 });
    expect(out.dropped.map((d) => [d.pair.sampleId, d.reason])).toEqual([
      ['no-answer', 'chosen-missing-answer'],
      ['loop', 'chosen-circular'],
      ['neg-wrong', 'rejected-missing-answer'],
    ]);
  });

  it('released-code profile: length, first-line-aware conclusion, bigrams, "however"', () => {
    const out = filterPairs(candidates, 'released-code');
    expect(Object.fromEntries(out.dropped.map((d) => [d.pair.sampleId, d.reason]))).toEqual({
      'no-answer': 'chosen-missing-answer',
      loop: 'chosen-missing-answer',
      'neg-wrong': 'rejected-states-correct-answer',
      however: 'keyword',
      short: 'too-short',
    });
    expect(out.kept.map((p) => p.sampleId)).toEqual(['ok']);
    expect(out.counts).toEqual({ 'chosen-missing-answer': 2, 'rejected-states-correct-answer': 1, keyword: 1, 'too-short': 1 });
  });

  it('naive profile: a negative that concludes anything but the ground truth is kept (the wrong letter is not consulted)', () => {
    const naive = [
      ...candidates,
      anglePair({ sampleId: 'neg-other-wrong', rejected: 'Step 1, hmm.\nStep 2, so it is 65°.' }),
      anglePair({ sampleId: 'neg-undecided', rejected: 'Step 1, hmm.\nStep 2, I cannot tell.' }),
    ];
    const out = filterPairs(naive, 'naive');
    expect(out.kept.map((p) => p.sampleId)).toEqual(['ok', 'however', 'short', 'neg-other-wrong', 'neg-undecided']);
    expect(Object.fromEntries(out.dropped.map((d) => [d.pair.sampleId, d.reason]))).toEqual({
      'no-answer': 'chosen-missing-answer',
      loop: 'chosen-circular',
      'neg-wrong': 'rejected-states-correct-answer',
    });
    // The paper profile drops the negatives that miss the prompted wrong answer (C).
    expect(filterPairs(naive, 'paper').kept.map((p) => p.sampleId)).toEqual(['ok', 'however', 'short']);
  });

  it('accepts an explicit filter list and keeps extra fields of the caller', () => {
    const out = filterPairs([{ ...anglePair(), iteration: 3 }], [() => null]);
    expect(out.kept[0]!.iteration).toBe(3);
    expect(out.counts).toEqual({});
  });
});

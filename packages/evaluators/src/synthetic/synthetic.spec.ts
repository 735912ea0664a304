import type { Sample } from '@smart/types';
import { extractChoiceLetter } from './extract-choice';
import { scoreSynthetic, syntheticPrompt } from './score-synthetic';

const sample = (id: string, answer: 'A' | 'B' | 'C', kind: string): Sample => ({
  id, image: { path: `${id}.png` }, question: 'How many red circles?', answer, source: 'synthetic', meta: { kind },
  choices: [{ letter: 'A', text: '2' }, { letter: 'B', text: '3' }, { letter: 'C', text: 'four' }],
});

describe('synthetic MC accuracy', () => {
  const choices = sample('x', 'A', 'count').choices;
  it('extracts the committed letter', () => {
    expect(extractChoiceLetter('Step 1: (A) looks wrong. So the answer is (B).', choices)).toBe('B');
    expect(extractChoiceLetter('Answer: C', choices)).toBe('C');
    expect(extractChoiceLetter('The answer is (D).', choices)).toBeNull(); // not an option
    expect(extractChoiceLetter(' (b) ', choices)).toBeNull(); // lowercase parens are not a letter
    expect(extractChoiceLetter('B.', choices)).toBe('B');
    expect(extractChoiceLetter('I count four of them', choices)).toBe('C');
    expect(extractChoiceLetter('between 2 and 3', choices)).toBeNull(); // two option texts: ambiguous
  });
  it('scores accuracy with meta breakdowns and counts missing responses as failures', () => {
    const samples = [sample('s1', 'B', 'count'), sample('s2', 'C', 'count'), sample('s3', 'A', 'color'), sample('s4', 'A', 'color')];
    const run = scoreSynthetic(samples, {
      model: 'tiny',
      responses: new Map([['s1', 'the answer is (B)'], ['s2', 'the answer is (A)'], ['s3', 'A']]),
      breakdownKeys: ['kind'],
    });
    expect(run.items.map((i) => i.verdict)).toEqual(['correct', 'wrong', 'correct', 'failed']);
    expect(run.result).toMatchObject({ benchmark: 'synthetic', scored: 3, failed: 1, breakdowns: { kind: { color: 1, count: 0.5 } } });
    // Denominators: the failed item is in no bucket.
    expect(run.result.breakdownCounts).toEqual({ kind: { color: 1, count: 2 } });
    expect(run.result.score).toBeCloseTo(2 / 3, 12);
    expect(syntheticPrompt(samples[0]!)).toBe("Question: How many red circles?\nChoices:\n(A) 2\n(B) 3\n(C) four\nAnswer with the option's letter from the given choices.");
  });
});

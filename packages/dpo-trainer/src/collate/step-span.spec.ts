import { commonPrefixLength, splitSteps, throughFirstDifferingStep } from './step-span';

describe('rationale steps', () => {
  it('splits at each "Step N" marker and joins back to the same text', () => {
    const text = 'Looking closely. Step 1, there are 3 dots. Step 2: (A) 2 no, (B) 3 yes. step 3) so the answer is (B).';
    const steps = splitSteps(text);
    expect(steps).toEqual(['Looking closely. ', 'Step 1, there are 3 dots. ', 'Step 2: (A) 2 no, (B) 3 yes. ', 'step 3) so the answer is (B).']);
    expect(steps.join('')).toBe(text);
    // "steps" and a number without its punctuation are words, not markers.
    expect(splitSteps('Two steps 4 ways, then Step 10, done.')).toEqual(['Two steps 4 ways, then ', 'Step 10, done.']);
  });

  it('cuts both rationales after the first step where they differ', () => {
    const chosen = 'Step 1, there are 3 dots. Step 2, (A) 2 no, (B) 3 yes. Step 3, so the answer is (B) 3.';
    const rejected = 'Step 1, there are 2 dots. Step 2, (A) 2 yes. Step 3, so the answer is (A) 2.';
    expect(throughFirstDifferingStep(chosen, rejected)).toEqual({ chosen: 'Step 1, there are 3 dots.', rejected: 'Step 1, there are 2 dots.' });
    const sameStart = 'Step 1, the bars are red, blue. Step 2, the tallest bar is red. Step 3, so (A).';
    expect(throughFirstDifferingStep(sameStart, 'Step 1, the bars are red, blue.  Step 2, the tallest bar is blue. Step 3, so (B).')).toEqual({
      chosen: 'Step 1, the bars are red, blue. Step 2, the tallest bar is red.',
      rejected: 'Step 1, the bars are red, blue.  Step 2, the tallest bar is blue.',
    });
  });

  it('gives null where no step differs: one rationale is the other plus steps, or they are equal', () => {
    expect(throughFirstDifferingStep('Step 1, a. Step 2, b.', 'Step 1, a. Step 2, b. Step 3, c.')).toBeNull();
    expect(throughFirstDifferingStep('Step 1, a. Step 2, b. Step 3, c.', 'Step 1, a. Step 2, b.')).toBeNull();
    expect(throughFirstDifferingStep('The answer is (A).', 'The answer is (A).')).toBeNull();
    // No markers at all: one step each, which differ, so the whole texts.
    expect(throughFirstDifferingStep('The answer is (A).', 'It is (B).')).toEqual({ chosen: 'The answer is (A).', rejected: 'It is (B).' });
  });

  it('measures the common prefix of token arrays', () => {
    expect(commonPrefixLength([1, 2, 3], [1, 2, 4, 5])).toBe(2);
    expect(commonPrefixLength([1, 2], [1, 2, 3])).toBe(2);
    expect(commonPrefixLength([], [1])).toBe(0);
  });
});

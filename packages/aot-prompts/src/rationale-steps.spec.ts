import { finalStep, splitSteps } from './rationale-steps';

describe('splitSteps / finalStep', () => {
  it.each([
    [
      'Step 1, the angle is 65°. Step 2, supplementary angles sum to 180°, so the answer is (B) 115°.',
      ['Step 1, the angle is 65°.', 'Step 2, supplementary angles sum to 180°, so the answer is (B) 115°.'],
    ],
    ['Step (1) count the cubes.\nStep (2) there are 4, so (B).', ['Step (1) count the cubes.', 'Step (2) there are 4, so (B).']],
    ['**Step 1:** look.\n**Step 2:** answer (A).', ['**Step 1:** look.', '**Step 2:** answer (A).']],
    ['Step 1, add. Final step: the answer is (C).', ['Step 1, add.', 'Final step: the answer is (C).']],
    ['Let me think.\nstep 1: x\nSTEP 2: y', ['step 1: x', 'STEP 2: y']],
    ['### Step 1\nx\n### Step 2\ny', ['### Step 1\nx', '### Step 2\ny']],
  ])('splits %j', (text, steps) => {
    expect(splitSteps(text).map((s) => s.text)).toEqual(steps);
    expect(finalStep(text)).toBe(steps[steps.length - 1]);
  });

  it('labels steps by their marker', () => {
    expect(splitSteps('Step (1) a Step 2, b Final step c').map((s) => s.label)).toEqual(['(1)', '2', 'final']);
  });

  it('splits by lines when there are no markers and takes the last non-empty line', () => {
    const text = 'The shape has 3 sides.\n\nSo it is a triangle: (A).\n  \n';
    expect(splitSteps(text).map((s) => s.text)).toEqual(['The shape has 3 sides.', 'So it is a triangle: (A).']);
    expect(finalStep(text)).toBe('So it is a triangle: (A).');
  });

  it('treats a single-line rationale without markers as one step', () => {
    expect(finalStep('The answer is (D) 42.')).toBe('The answer is (D) 42.');
  });

  it('does not split at "step" inside words or without a number', () => {
    expect(splitSteps('Step 1, a footstep 2 away. Step 2, done.').map((s) => s.text)).toEqual(['Step 1, a footstep 2 away.', 'Step 2, done.']);
    expect(splitSteps('One step at a time.\nThen (A).')).toHaveLength(2);
  });

  it('returns an empty final step for empty text', () => {
    expect(finalStep('   \n')).toBe('');
  });
});

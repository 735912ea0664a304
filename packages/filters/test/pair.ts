import type { CandidatePair } from '../src/candidate';

/** A candidate on the classic angle question: A = (B) 115°, A' = (C) 130°. */
export function anglePair(overrides: Partial<CandidatePair> = {}): CandidatePair {
  return {
    sampleId: 's1',
    choices: [
      { letter: 'A', text: '65°' },
      { letter: 'B', text: '115°' },
      { letter: 'C', text: '130°' },
      { letter: 'D', text: '1150' },
    ],
    answer: 'B',
    wrongAnswer: 'C',
    chosen: 'Step 1, angle ABD is 65°.\nStep 2, angles on a line sum to 180°, so ABC = 115°, option (B).',
    rejected: 'Step 1, angle ABD looks like 50°.\nStep 2, so ABC = 130°, option (C).',
    ...overrides,
  };
}

import { UnknownOptionError } from '@smart/aot-prompts';
import { conclusionFilter, naiveConclusionFilter, releasedCodeConclusionFilter } from './conclusion-filter';
import { anglePair } from '../test/pair';

describe('conclusionFilter (paper)', () => {
  it.each([
    ['a well-formed pair', {}, null],
    ['the answer only in an early step', { chosen: 'Step 1, it is (B) 115°. Step 2, so we are done.' }, 'chosen-missing-answer'],
    ['1150 is not 115°', { chosen: 'Step 1, add. Step 2, the result is 1150.' }, 'chosen-missing-answer'],
    ['answer stated by text only', { chosen: 'Step 1, add.\nStep 2, the angle is 115°.' }, null],
    ['a final step listing every option', { chosen: 'Step 1, look. Step 2, the options are (A), (B), (C), (D); it is (B).' }, 'chosen-missing-answer'],
    ['a negative that concludes the right answer', { rejected: 'Step 1, hmm. Step 2, it is (B).' }, 'rejected-missing-answer'],
    ['single-line rationales without markers', { chosen: 'It is (B).', rejected: 'It must be 130°.' }, null],
    ['Step (1) format', { chosen: 'Step (1) measure.\nStep (2) so (B).', rejected: 'Step (1) guess.\nStep (2) so (C).' }, null],
  ])('%s', (_name, overrides, expected) => {
    expect(conclusionFilter(anglePair(overrides))).toBe(expected);
  });

  it('rejects a candidate whose letters are not options', () => {
    expect(() => conclusionFilter(anglePair({ wrongAnswer: 'E' }))).toThrow(UnknownOptionError);
  });
});

describe('releasedCodeConclusionFilter', () => {
  it.each([
    ['gt after the first line of chosen, absent from rejected', {}, null],
    ['gt only on the first line of chosen', { chosen: 'The answer is (B).\nStep 1, it is 115°.' }, 'chosen-missing-answer'],
    ['gt after the first line of rejected', { rejected: 'Step 1, guess (C).\nBut wait, (B) fits.' }, 'rejected-states-correct-answer'],
    ['gt on the first line of rejected only', { rejected: 'Not (B).\nStep 1, so (C).' }, null],
    ['word(b) is not (B)', { chosen: 'Step 1.\nSee sub(b)figure.' }, 'chosen-missing-answer'],
  ])('%s', (_name, overrides, expected) => {
    expect(releasedCodeConclusionFilter(anglePair(overrides))).toBe(expected);
  });
});

describe('naiveConclusionFilter (the Naive-CoT rule)', () => {
  it.each([
    ['R concludes A, R\' concludes another option', {}, null],
    ['R\' concludes nothing', { rejected: 'Step 1, hmm. Step 2, it is hard to tell.' }, null],
    ['R\' concludes the ground truth', { rejected: 'Step 1, hmm. Step 2, so ABC = 115°.' }, 'rejected-states-correct-answer'],
    ['R\' names (B) only before its final step', { rejected: 'Step 1, maybe (B). Step 2, no: (D) 1150.' }, null],
    ['R\' compares every option but picks the correct one', { rejected: 'Step 1, look. Step 2, of 65°, 130° and 1150 none fits, so (B).' }, 'rejected-states-correct-answer'],
    ['R misses A', { chosen: 'Step 1, it is (B). Step 2, done.' }, 'chosen-missing-answer'],
    ['an unprompted wrong letter outside the options is not consulted', { wrongAnswer: 'H' }, null],
  ])('%s', (_name, overrides, expected) => {
    expect(naiveConclusionFilter(anglePair(overrides as Partial<ReturnType<typeof anglePair>>))).toBe(expected);
  });
});

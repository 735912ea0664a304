import { UnknownOptionError } from '@smart/aot-prompts';
import { conclusionFilter, releasedCodeConclusionFilter } from './conclusion-filter';
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

import type { Choice, OptionLetter } from '@smart/types';
import { naiveCotKind } from './naive-cot-kind';

const choices: Choice[] = ['6', '4', '6√3', '12'].map((text, i) => ({ letter: 'ABCD'[i] as OptionLetter, text }));
const item = { choices, answer: 'C' as OptionLetter };

describe('naiveCotKind (the Naive-CoT rule)', () => {
  it.each([
    ['Step 1, the height is 6. Step 2, so the side is 6√3.', 'positive'],
    ['Step 1, the height is 6√3. Step 2, so the answer is (A) 6.', 'negative'],
    ['Step 1, the side is 6√3. Step 2, the answer is (A).', 'negative'], // only the final step counts
    ['Step 1, compare them. Step 2, 6√3 is larger than 6 and 4, so (C).', 'positive'],
    ['Step 1, the options are 6, 4, 6√3 and 12.', 'negative'], // lists every option, chooses none
    ['The height is 6.\nSo the side is 6√3.', 'positive'], // no markers: the last line
    ['', 'negative'],
  ])('%j is %s', (rationale, kind) => {
    expect(naiveCotKind(rationale, item)).toBe(kind);
  });
});

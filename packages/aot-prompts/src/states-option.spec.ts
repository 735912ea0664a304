import type { Choice, OptionLetter } from '@smart/types';
import { concludesOption, statedOptions, statesLetter, statesOption, statesOptionText } from './states-option';

describe('statesLetter', () => {
  it.each([
    ['so the answer is (B).', 'B', true],
    ['the answer is (b)', 'B', true],
    ['check the option(s) carefully', 'S', false],
    ['count the object(s) (a)round here', 'A', false],
    ['see figure(a)', 'A', false],
    ['(B)115°', 'B', true],
    ['(B)x', 'B', false],
    ['answer B', 'B', false],
  ])('%j states (%s): %s', (text, letter, expected) => {
    expect(statesLetter(text, letter as OptionLetter)).toBe(expected);
  });
});

describe('statesOptionText', () => {
  it.each([
    ['the angle is 115°', '115°', true],
    ['the angle is 1150', '115°', false],
    ['the value is 1150', '115', false],
    ['the value is 115.5', '115', false],
    ['the value is 2.115', '115', false],
    ['the value is -115', '115', false],
    ['the value is 115.', '115', true],
    ['range 100-115', '115', true],
    ['it is a Triangle', 'triangle', true],
    ['it is a triangles', 'triangle', false],
    ['angle ∠ABC = 30°', '∠ABC = 30°', true],
    ['it is 日本', '日本', true],
    ['Step 2, so x = 12 cm.', '12 cm', true],
    ['anything', '   ', false],
  ])('%j states %j: %s', (text, option, expected) => {
    expect(statesOptionText(text, option)).toBe(expected);
  });
});

const choices: Choice[] = [
  { letter: 'A', text: '65°' },
  { letter: 'B', text: '115°' },
  { letter: 'C', text: '130°' },
  { letter: 'D', text: '1150' },
];

describe('statedOptions / concludesOption', () => {
  it('finds options by letter or text', () => {
    expect(statesOption('so it is 115°', choices[1]!)).toBe(true);
    expect(statedOptions('(A) is too small; the answer is 115°', choices)).toEqual(['A', 'B']);
  });

  it('does not count a step that lists every option as a conclusion', () => {
    const text = 'The options are (A) 65°, (B) 115°, (C) 130° and (D) 1150, and the answer is (B).';
    expect(statedOptions(text, choices)).toEqual(['A', 'B', 'C', 'D']);
    expect(concludesOption(text, choices, 'B')).toBe(false);
  });

  it('counts a conclusion that also rules out another option', () => {
    expect(concludesOption('Not (A); the answer is (B) 115°.', choices, 'B')).toBe(true);
    expect(concludesOption('Not (A); the answer is (B) 115°.', choices, 'C')).toBe(false);
  });
});

describe('concludesOption and step labels', () => {
  const counts: Choice[] = ['2', '3', '4', '5'].map((text, i) => ({ letter: 'ABCD'[i] as OptionLetter, text }));
  it.each([
    ['Step 3, there are 4 squares, so (C).', 'C', true],
    ['Step 3, there are 4 squares, so (C).', 'B', false],
    ['**Step (3):** so the answer is 5.', 'B', false],
    ['**Step (3):** so the answer is 5.', 'D', true],
    ['Final step: 3 squares.', 'B', true],
    ['Step 2, count again: 3.', 'B', true],
  ])('%j concludes %s: %s', (step, letter, expected) => {
    expect(concludesOption(step, counts, letter as OptionLetter)).toBe(expected);
  });
});

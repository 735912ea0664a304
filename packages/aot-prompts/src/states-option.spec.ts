import type { Choice, OptionLetter } from '@smart/types';
import { concludesOption, statedLetters, statedOptions, statesLetter, statesOption, statesOptionText, stepConclusion } from './states-option';

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
    // token boundaries around math: 6√3, 3√6, 6°, 6%, 1/6, 2π are other numbers than 6
    ['so the side is 6√3', '6', false],
    ['so the side is 3√6', '6', false],
    ['so the side is 6√3', '6√3', true],
    ['so the side is 6 √3', '6', true],
    ['the angle is 6°', '6', false],
    ['it grew by 6%', '6', false],
    ['the ratio is 1/6', '6', false],
    ['the area is 6π', '6', false],
    ['the area is 6π', '6π', true],
    ['x^6 grows', '6', false],
    ['so x=6', '6', true],
    ['so the answer is 6.', '6', true],
    ['there are (6) of them', '6', true],
    // a letter inside (X) is the option letter, not an option text; one-letter texts keep their case
    ['so the answer is (D).', 'D', false],
    ['so the vertex is D.', 'D', true],
    ['it is a right angle', 'A', false],
    ['the point is A', 'A', true],
    ['point d', 'D', false],
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

describe('stepConclusion: the options a final step concludes, as a reader reads it', () => {
  const opts = (...texts: string[]): Choice[] => texts.map((text, i) => ({ letter: 'ABCDEFGH'[i] as OptionLetter, text }));
  const nested = opts('6', '6√3', '36', '3√6');
  const points = opts('B', 'C', 'D', 'A');
  const angles = opts('65°', '115°', '130°', '1150');
  const numbers = opts('6', '4', '6√3');
  it.each<[string, Choice[], string, OptionLetter[]]>([
    // options whose texts contain each other
    ['nested', nested, 'Step 3, so the side is 6√3.', ['B']],
    ['nested', nested, 'Step 3, so x = 36.', ['C']],
    ['nested', nested, 'Step 3, so the side is 3√6.', ['D']],
    ['nested', nested, 'Step 3, the side is 6.', ['A']],
    ['nested', nested, 'Step 3, 6√3 is about 10.4, so (B).', ['B']],
    // letter-like option texts (points named B, C, D, A)
    ['points', points, 'Step 2, the vertex is D, so the answer is (C).', ['C']],
    ['points', points, 'Step 2, so the answer is (D).', ['D']],
    ['points', points, 'Step 2, so the vertex is D.', ['C']],
    ['points', points, 'Step 2, a line through it meets the circle at A.', ['D']],
    // final steps that compare all options but pick one
    ['angles', angles, 'Step 3, of 65°, 115°, 130° and 1150 only 115° fits, so the answer is (B).', ['B']],
    ['numbers', numbers, 'Step 2, 6√3 is larger than 6 and 4, so the answer is (C).', ['C']],
    ['numbers', numbers, 'Step 2, since 6√3 > 6 > 4, the largest is (C) 6√3.', ['C']],
    // steps that list every option without choosing one
    ['angles', angles, 'Step 3, the options are (A) 65°, (B) 115°, (C) 130° and (D) 1150.', []],
    ['angles', angles, 'Step 3, the options are 65°, 115°, 130° and 1150.', []],
    ['angles', angles, 'Step 3, the options are (A) 65°, (B) 115°, (C) 130° and (D) 1150, and the answer is (B).', []],
    // several letters but not all: each stated one counts (the filter's "contains")
    ['angles', angles, 'Step 3, not (A); the answer is (B) 115°.', ['A', 'B']],
    ['angles', angles, 'Step 3, I cannot tell.', []],
  ])('%s: %j concludes %j', (_name, choices, step, expected) => {
    expect(stepConclusion(step, choices)).toEqual(expected);
    for (const c of choices) expect(concludesOption(step, choices, c.letter)).toBe(expected.includes(c.letter));
  });

  it('finds the explicit letters of a step', () => {
    expect(statedLetters('(A) is too small and (C) too large; option(s) aside', angles)).toEqual(['A', 'C']);
  });
});

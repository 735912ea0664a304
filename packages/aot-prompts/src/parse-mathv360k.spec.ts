import { parseAnswerTurn, parseMathV360K } from './parse-mathv360k';

const HINT = 'Hint: Please answer the question and provide the correct option letter, e.g., A, B, C, D, at the end.';

describe('parseMathV360K', () => {
  it('parses the canonical record', () => {
    const human = `<image>\n${HINT}\nQuestion: As shown in the figure, what is the measure of angle ABC?\nChoices:\n(A) 65°\n(B) 115°\n(C) 130°\n(D) 1150`;
    const r = parseMathV360K(human, 'The answer is B');
    expect(r).toEqual({
      ok: true,
      item: {
        hint: 'Please answer the question and provide the correct option letter, e.g., A, B, C, D, at the end.',
        question: 'As shown in the figure, what is the measure of angle ABC?',
        choices: [
          { letter: 'A', text: '65°' },
          { letter: 'B', text: '115°' },
          { letter: 'C', text: '130°' },
          { letter: 'D', text: '1150' },
        ],
        answer: 'B',
      },
    });
  });

  it('accepts 8 options and unicode text, CRLF line ends and <image> at the end', () => {
    const opts = ['α', 'β', 'γ', 'δ', 'ε', '日本', 'ζ', 'η'].map((t, i) => `(${String.fromCharCode(65 + i)}) ${t}`);
    const r = parseMathV360K(`Question: Which letter is shown?\r\nChoices:\r\n${opts.join('\r\n')}\r\n<image>`, 'The answer is F');
    expect(r.ok && r.item.choices.length).toBe(8);
    expect(r.ok && r.item.choices[5]).toEqual({ letter: 'F', text: '日本' });
    expect(r.ok && r.item.answer).toBe('F');
  });

  it.each([
    ['missing Choices:', 'Question: What is 2+2?\n(A) 3\n(B) 4', 'The answer is B', 'no-choices'],
    ['one option', 'Question: Q?\nChoices:\n(A) yes', 'The answer is A', 'too-few-options'],
    ['nine options', `Question: Q?\nChoices:\n${'ABCDEFGHI'.split('').map((l) => `(${l}) ${l}x`).join('\n')}`, 'The answer is A', 'too-many-options'],
    ['labels skip a letter', 'Question: Q?\nChoices:\n(A) 1\n(C) 2', 'The answer is A', 'bad-option-labels'],
    ['choices not labelled', 'Question: Q?\nChoices:\n1. yes\n2. no', 'The answer is A', 'bad-option-labels'],
    ['answer letter not among options', 'Question: Q?\nChoices:\n(A) 1\n(B) 2\n(C) 3', 'The answer is E', 'answer-not-in-options'],
    ['free-form answer', 'Question: Q?\nChoices:\n(A) 1\n(B) 2', 'The answer is 2', 'no-answer'],
    ['answer word starting with a letter', 'Question: Q?\nChoices:\n(A) Blue\n(B) Red', 'The answer is Blue', 'no-answer'],
    ['empty question', '<image>\nQuestion:   \nChoices:\n(A) 1\n(B) 2', 'The answer is A', 'empty-question'],
    ['empty option text', 'Question: Q?\nChoices:\n(A) 1\n(B)   \n(C) 3', 'The answer is A', 'empty-option'],
  ])('rejects %s', (_name, human, gpt, reason) => {
    const r = parseMathV360K(human, gpt);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe(reason);
    expect(!r.ok && r.detail.length).toBeGreaterThan(0);
  });

  it('keeps multi-line option text and a question without a Question: marker', () => {
    const r = parseMathV360K('How many cubes?\nChoices:\n(A) three\ncubes\n(B) four', '(B)');
    expect(r.ok && r.item.question).toBe('How many cubes?');
    expect(r.ok && r.item.choices[0]!.text).toBe('three\ncubes');
    expect(r.ok && r.item.answer).toBe('B');
  });

  it('reads a multi-line hint as the hint and everything after Question: as the question', () => {
    const r = parseMathV360K('Hint: Line one.\nLine two.\nQuestion: What now?\nChoices:\n(A) x\n(B) y', 'The answer is A');
    expect(r.ok && r.item.hint).toBe('Line one.\nLine two.');
    expect(r.ok && r.item.question).toBe('What now?');
  });
});

describe('parseAnswerTurn', () => {
  it.each([
    ['The answer is B', 'B'],
    ['The answer is (C).', 'C'],
    ['B', 'B'],
    ['(d)', 'D'],
    ['Answer: E', 'E'],
    ['the answer is (a)', 'A'],
    ['the answer is a triangle', null],
    ['The answer is Blue', null],
    ['I cannot tell', null],
  ])('%s -> %s', (gpt, letter) => {
    expect(parseAnswerTurn(gpt)).toBe(letter);
  });
});

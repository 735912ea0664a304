import { parseM3CoT, parseScienceQA } from './parse-list-records';

describe('parseScienceQA', () => {
  it('maps the 0-based index to a letter and keeps the hint', () => {
    const r = parseScienceQA({ question: 'Which is a mammal?', choices: ['frog', 'whale', 'shark'], answer: 1, hint: 'Whales breathe air.' });
    expect(r).toEqual({
      ok: true,
      item: {
        question: 'Which is a mammal?',
        hint: 'Whales breathe air.',
        choices: [
          { letter: 'A', text: 'frog' },
          { letter: 'B', text: 'whale' },
          { letter: 'C', text: 'shark' },
        ],
        answer: 'B',
      },
    });
  });

  it.each([
    [3, 'answer-not-in-options'],
    [-1, 'answer-not-in-options'],
    [1.5, 'answer-not-in-options'],
  ])('rejects answer index %s', (answer, reason) => {
    const r = parseScienceQA({ question: 'Q?', choices: ['a', 'b', 'c'], answer });
    expect(!r.ok && r.reason).toBe(reason);
  });

  it('drops an empty hint and rejects a single choice', () => {
    expect(parseScienceQA({ question: 'Q?', choices: ['a', 'b'], answer: 0, hint: '  ' })).toEqual({
      ok: true,
      item: { question: 'Q?', choices: [{ letter: 'A', text: 'a' }, { letter: 'B', text: 'b' }], answer: 'A' },
    });
    expect(parseScienceQA({ question: 'Q?', choices: ['a'], answer: 0 })).toMatchObject({ ok: false, reason: 'too-few-options' });
  });
});

describe('parseM3CoT', () => {
  it('accepts the letter with or without parentheses, any case', () => {
    for (const answer of ['C', '(C)', 'c', ' C ']) {
      const r = parseM3CoT({ question: 'Q?', choices: ['x', 'y', 'z'], answer, context: 'ctx' });
      expect(r.ok && r.item.answer).toBe('C');
      expect(r.ok && r.item.hint).toBe('ctx');
    }
  });

  it.each([
    ['D', 'answer-not-in-options'],
    ['', 'no-answer'],
    ['CD', 'no-answer'],
  ])('rejects answer %j', (answer, reason) => {
    expect(parseM3CoT({ question: 'Q?', choices: ['x', 'y', 'z'], answer })).toMatchObject({ ok: false, reason });
  });
});

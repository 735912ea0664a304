import { parseRecords } from '../records/load-records';
import { extractM3CoTAnswer } from './judge-answer';
import { m3cotPrompt } from './m3cot-prompt';
import { M3CoTRecordSchema } from './m3cot-record';
import { m3cotRequests, scoreM3CoT } from './score-m3cot';

const rows = [
  { id: 'physical-commonsense-1', category: 'physical-commonsense', image_id: 'i1', question: 'Which keeps you warmer?', choices: ['wool sweater', 'cotton shirt'], context: '', answer: 'A', rationale: 'Wool insulates.', split: 'test', domain: 'commonsense', topic: 'physical-commonsense' },
  { id: 'natural-science-2', category: 'natural-science', question: 'Which is a mammal?', choices: ['shark', 'whale', 'trout'], context: 'Look at the animals.', answer: 'B', domain: 'science', topic: 'natural' },
  { id: 'algebra-3', question: 'x = ?', choices: ['2', '3', '4', '5'], context: null, answer: 'D', domain: 'mathematics', topic: 'algebra' },
  { id: 'geometry-4', question: 'Angle?', choices: ['30', '45'], answer: 'A', domain: 'mathematics', topic: 'geometry' },
  { id: 'bad-5', question: 'q', choices: ['a', 'b'], answer: 'C', domain: 'science', topic: 'natural' },
];
const JSONL = rows.map((r) => JSON.stringify(r)).join('\n') + '\n{not json\n';

describe('M3CoT', () => {
  const { records, errors } = parseRecords(JSONL, { file: 'test.jsonl', format: 'jsonl', schema: M3CoTRecordSchema, idField: 'id' });

  it('loads JSONL and reports bad rows with file, line and id', () => {
    expect(records).toHaveLength(4);
    expect(errors.map((e) => [e.row, e.recordId ?? null])).toEqual([[5, 'bad-5'], [6, null]]);
    expect(errors[0]!.message).toBe('test.jsonl row 5 (id bad-5): answer: answer C but only 2 choices');
  });

  it('builds the prompt with context only when present', () => {
    expect(m3cotPrompt(records[1]!)).toBe("[Context]\nLook at the animals.\n[Question]\nWhich is a mammal?\n[Choices]\n(A) shark\n(B) whale\n(C) trout\n\nLet's think step-by-step!");
    expect(m3cotPrompt(records[0]!, false)).toBe('[Question]\nWhich keeps you warmer?\n[Choices]\n(A) wool sweater\n(B) cotton shirt');
    expect(m3cotRequests(records, () => ({ kind: 'path', path: 'x.png' }))[2]!.sampling.temperature).toBe(0);
  });

  it('extracts like the official judge_answer', () => {
    const ch = ['shark', 'whale', 'trout'];
    // After the last [Answer], cut at [Rationale]: the (A) in the rationale is ignored.
    expect(extractM3CoTAnswer('[Answer] (B) whale [Rationale] not (A)', ch)).toBe('B');
    expect(extractM3CoTAnswer('First (a), then finally (c).', ch)).toBe('C');
    // No (x): the highest-index choice text found wins, even if the model rejected it.
    expect(extractM3CoTAnswer('It is the whale, not the trout', ch)).toBe('C');
    expect(extractM3CoTAnswer('Answer: B.', ch)).toBe('B');
    expect(extractM3CoTAnswer('i pick b', ch)).toBe('B');
    // 'D' is not an option of a 3-choice item; 'A' inside a word does not count.
    expect(extractM3CoTAnswer('D is wrong; Answer A', ch)).toBe('A');
    expect(extractM3CoTAnswer('no idea', ch)).toBe('FAILED');
  });

  it('scores with domain and topic breakdowns', () => {
    const responses = new Map([
      ['physical-commonsense-1', 'Wool traps air. [Answer] (A)'],
      ['natural-science-2', 'Whales are mammals, the answer is (B).'],
      ['algebra-3', 'so x = 4'], // '4' is choice C's text → C, wrong
      // geometry-4 has no response: a failure, not a wrong answer
    ]);
    const run = scoreM3CoT(records, { model: 'm', responses });
    expect(run.items.map((i) => [i.itemId, i.extracted, i.verdict])).toEqual([
      ['physical-commonsense-1', 'A', 'correct'],
      ['natural-science-2', 'B', 'correct'],
      ['algebra-3', 'C', 'wrong'],
      ['geometry-4', null, 'failed'],
    ]);
    expect(run.result).toMatchObject({ benchmark: 'm3cot', scored: 3, failed: 1 });
    expect(run.result.score).toBeCloseTo(2 / 3, 12);
    expect(run.result.breakdowns).toEqual({
      domain: { commonsense: 1, mathematics: 0, science: 1 },
      topic: { algebra: 0, natural: 1, 'physical-commonsense': 1 },
    });
  });
});

import { pyStrFloat } from '../python/py-str-float';
import { MathVistaRecordSchema } from './mathvista-record';
import { normalizeMathVistaAnswer } from './normalize-answer';

type Case = [extraction: string, questionType: 'multi_choice' | 'free_form', answerType: 'text' | 'integer' | 'float' | 'list', precision: number | null, choices: string[] | null, expected: string | null];

// normalize_extracted_answer of MathVista's calculate_score.py, run in CPython 3.11.2 (Levenshtein
// distance by the same dynamic programme as python-Levenshtein); null where it returns None.
const CASES: Case[] = [
  ["B", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "8/11"],
  [" b ", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "3/5"],
  ["(b)", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "8/11"],
  ["(B) 8/11", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "8/11"],
  ["The answer is (C).", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "6/11"],
  ["(a) or (d)", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "3/11"],
  ["D", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "3/5"],
  ["E", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "3/5"],
  ["", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "3/5"],
  [" ", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "3/5"],
  ["\ufeffB", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "3/5"],
  ["\u3000B\u3000", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "8/11"],
  ["B\u001c", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "8/11"],
  ["8/11", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "8/11"],
  ["6/12", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "6/11"],
  ["b", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "3/5"],
  ["three elevenths", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "3/11"],
  ["(e)", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "3/5"],
  ["(1)", "multi_choice", "text", null, ["3/11", "8/11", "6/11", "3/5"], "3/11"],
  ["A", "multi_choice", "text", null, ["Yes", "No"], "Yes"],
  ["yes", "multi_choice", "text", null, ["Yes", "No"], "Yes"],
  ["YES", "multi_choice", "text", null, ["Yes", "No"], "Yes"],
  ["no.", "multi_choice", "text", null, ["Yes", "No"], "No"],
  ["Y", "multi_choice", "text", null, ["Yes", "No"], "Yes"],
  ["", "multi_choice", "text", null, ["Yes", "No"], "No"],
  ["14", "free_form", "integer", null, null, "14"],
  [" 14 ", "free_form", "integer", null, null, "14"],
  ["14.9", "free_form", "integer", null, null, "14"],
  ["-3.7", "free_form", "integer", null, null, "-3"],
  ["1e3", "free_form", "integer", null, null, "1000"],
  ["1_000", "free_form", "integer", null, null, "1000"],
  ["\u0663", "free_form", "integer", null, null, "3"],
  ["\u0661\u0662.\u0665", "free_form", "integer", null, null, "12"],
  ["\uff11\uff12", "free_form", "integer", null, null, "12"],
  ["\ufeff3", "free_form", "integer", null, null, null],
  ["nan", "free_form", "integer", null, null, null],
  ["inf", "free_form", "integer", null, null, null],
  ["-inf", "free_form", "integer", null, null, null],
  ["", "free_form", "integer", null, null, null],
  ["fourteen", "free_form", "integer", null, null, null],
  ["3,000", "free_form", "integer", null, null, null],
  ["0x10", "free_form", "integer", null, null, null],
  ["1e400", "free_form", "integer", null, null, null],
  ["2.5e-3", "free_form", "integer", null, null, "0"],
  ["+7", "free_form", "integer", null, null, "7"],
  ["\u3000\u0663\u2003", "free_form", "integer", null, null, "3"],
  ["1.25", "free_form", "float", 1, null, "1.2"],
  ["1.35", "free_form", "float", 1, null, "1.4"],
  ["2.675", "free_form", "float", 2, null, "2.67"],
  ["0.125", "free_form", "float", 2, null, "0.12"],
  ["1", "free_form", "float", 1, null, "1.0"],
  ["1", "free_form", "float", 2, null, "1.0"],
  ["\u0661.\u0665", "free_form", "float", 1, null, "1.5"],
  ["nan", "free_form", "float", 1, null, "nan"],
  ["inf", "free_form", "float", 2, null, "inf"],
  ["", "free_form", "float", 1, null, null],
  ["1.2.3", "free_form", "float", 1, null, null],
  ["\ufeff1.5", "free_form", "float", 1, null, null],
  ["-0.04", "free_form", "float", 1, null, "-0.0"],
  ["1e-7", "free_form", "float", 2, null, "0.0"],
  ["12.345", "free_form", "float", 2, null, "12.35"],
  ["3.14159", "free_form", "float", 2, null, "3.14"],
  ["0.15", "free_form", "float", 1, null, "0.1"],
  ["99.95", "free_form", "float", 1, null, "100.0"],
  ["[2007, 2008]", "free_form", "list", null, null, "[2007, 2008]"],
  ["[1,2]", "free_form", "list", null, null, "[1,2]"],
  ["", "free_form", "list", null, null, ""],
  [" [1] ", "free_form", "list", null, null, " [1] "],];

const meta = { source: 's', category: 'c', task: 't', context: 'x', grade: 'g', skills: [], language: 'english' };

describe('normalize_extracted_answer', () => {
  it.each(CASES)('%j (%s %s)', (extraction, question_type, answer_type, precision, choices, expected) => {
    const record = MathVistaRecordSchema.parse({ pid: '1', question: 'q', image: 'i.png', choices, unit: null, precision, answer: 'a', question_type, answer_type, metadata: meta, query: 'q' });
    expect(normalizeMathVistaAnswer(extraction, record)).toBe(expected);
  });

  it('has the table the acceptance asks for', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    // The float rows cover Python's round on exact ties, which toFixed rounds up.
    expect((0.125).toFixed(2)).toBe('0.13');
    expect(pyStrFloat(0.12)).toBe(CASES.find(([e, , , p]) => e === '0.125' && p === 2)![5]);
  });
});

import { parseMMVetGrade } from './grader-prompt';

// The grade parse of MM-Vet's mm-vet_evaluator.py (`float(content.split(" ")[0].strip())`, then the
// [0, 1] check), run in CPython 3.11.2: repr of the score, or null where it raises.
const OFFICIAL: [content: string, score: string | null][] = [
  ["0.5", "0.5"],
  ["1.0", "1.0"],
  ["0.0", "0.0"],
  ["1", "1.0"],
  ["0", "0.0"],
  ["1.", "1.0"],
  [".5", "0.5"],
  ["0.5 because", "0.5"],
  ["1.0\n", "1.0"],
  ["\n0.5", "0.5"],
  [" 0.5", null],
  ["0.5.", null],
  ["Correctness: 0.5", null],
  ["1.5", null],
  ["-0.1", null],
  ["-0.0", "-0.0"],
  ["+0.5", "0.5"],
  ["1e-1", "0.1"],
  ["0.5e0", "0.5"],
  ["\u0660.\u0665", "0.5"],
  ["\u0661", "1.0"],
  ["\uff10.\uff15", "0.5"],
  ["0\u066b5", null],
  ["\ufeff0.5", null],
  ["0.5\ufeff", null],
  ["\u30000.5", "0.5"],
  ["0.5\u3000", "0.5"],
  ["0.5\t0.7", null],
  ["\t0.5", "0.5"],
  ["nan", "nan"],
  ["NaN", "nan"],
  ["inf", null],
  ["-inf", null],
  ["", null],
  [" ", null],
  ["0.5|", null],
  ["0.50", "0.5"],
  ["1.00", "1.0"],
  ["0.9999999999999999", "0.9999999999999999"],
  ["1.0000000000000002", null],
  ["0_5", null],
  ["0.0_5", "0.05"],
  ["zero", null],
  ["0,5", null],
  ["\u001c0.5", "0.5"],
  ["\u00850.5", "0.5"],
  ["\u00bd", null],];

describe('MM-Vet grade parsing', () => {
  it.each(OFFICIAL)('%j', (content, official) => {
    const got = parseMMVetGrade(content);
    // `nan` passes the official range check (every comparison with NaN is false) and turns each total
    // into NaN; it is unparseable here, so the official retries then 0.0 apply to it.
    const expected = official === 'nan' ? null : official === null ? null : Number(official);
    expect(got).toBe(expected);
  });

  it('has the table the acceptance asks for', () => {
    expect(OFFICIAL.length).toBeGreaterThanOrEqual(40);
    expect(Object.is(parseMMVetGrade('-0.0'), -0)).toBe(true);
  });
});

import { parseLlavaReview } from './review-prompt';

// parse_score of LLaVA's eval_gpt_review_bench.py, run in CPython 3.11.2: the two reprs, or null
// where it returns [-1, -1].
const OFFICIAL: [review: string, scores: [string, string] | null][] = [
  ["8 6", ["8.0", "6.0"]],
  ["8 6\nexplanation", ["8.0", "6.0"]],
  ["8,6", ["8.0", "6.0"]],
  ["8, 6", null],
  ["8  6", null],
  [" 8 6", null],
  ["8 6 ", null],
  ["7.5 9", ["7.5", "9.0"]],
  ["10 10", ["10.0", "10.0"]],
  ["8\t6", null],
  ["8 6\r\nwhy", ["8.0", "6.0"]],
  ["8\r 6", ["8.0", "6.0"]],
  ["Scores: 8 6", null],
  ["", null],
  ["\n8 6", null],
  ["8", null],
  ["8 6 7", null],
  ["\u0668 \u0666", ["8.0", "6.0"]],
  ["\uff18 \uff16", ["8.0", "6.0"]],
  ["\uff18\u3000\uff16", null],
  ["\ufeff8 6", null],
  ["8 \ufeff6", null],
  ["nan 5", ["nan", "5.0"]],
  ["5 inf", ["5.0", "inf"]],
  ["-1 -1", ["-1.0", "-1.0"]],
  ["1e1 5", ["10.0", "5.0"]],
  ["8. 6.", ["8.0", "6.0"]],
  [".5 .5", ["0.5", "0.5"]],
  ["8/10 6/10", null],
  ["eight six", null],
  ["8,,6", null],
  ["8,6,", null],
  ["1_0 5", ["10.0", "5.0"]],
  ["+8 -6", ["8.0", "-6.0"]],
  ["8 6,", null],
  ["8\u00a06", null],
  ["8 6\n9 9", ["8.0", "6.0"]],
  ["3 4\n\n", ["3.0", "4.0"]],
  ["Assistant 1: 8\nAssistant 2: 6", null],
  ["0 0", ["0.0", "0.0"]],
  ["10,9\nOK", ["10.0", "9.0"]],
  ["9 8.5", ["9.0", "8.5"]],];

describe('LLaVA-Bench review parsing', () => {
  it.each(OFFICIAL)('%j', (review, official) => {
    // Python accepts `nan`/`inf`, which make every mean NaN; they count as unparseable here.
    const finite = official !== null && official.every((x) => Number.isFinite(Number(x)));
    expect(parseLlavaReview(review)).toEqual(finite ? official.map(Number) : null);
  });

  it('has the table the acceptance asks for', () => {
    expect(OFFICIAL.length).toBeGreaterThanOrEqual(40);
  });
});

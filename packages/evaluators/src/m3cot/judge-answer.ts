const letter = (i: number): string => String.fromCharCode(65 + i);

/** Prediction when no rule matches, as in the official scorer. */
export const M3COT_FAILED = 'FAILED';

/**
 * The official M3CoT `judge_answer` extraction: text after the last "[Answer]" (cut at
 * "[Rationale]"/"[Context]"); else the last `(x)`; else the highest-index choice whose text occurs in
 * the output; else the last standalone uppercase option letter, then lowercase; else FAILED.
 */
export function extractM3CoTAnswer(output: string, choices: readonly string[]): string {
  let text = output;
  if (text.includes('[Answer]')) text = text.split('[Answer]').at(-1)!.split('[Rationale]')[0]!.split('[Context]')[0]!;
  const parens = [...text.matchAll(/\(([A-Za-z])\)/g)];
  if (parens.length > 0) return parens.at(-1)![1]!.toUpperCase();
  const lower = text.toLowerCase();
  let hit = -1;
  choices.forEach((c, i) => {
    if (lower.includes(c.toLowerCase())) hit = i;
  });
  if (hit >= 0) return letter(hit);
  // Python's str.split(" ") keeps empty strings; only exact tokens count.
  const tokens = text.replace(/[\n.,!?]/g, ' ').split(' ');
  for (const toCase of [(s: string) => s, (s: string) => s.toLowerCase()]) {
    let found = -1;
    choices.forEach((_, i) => {
      if (tokens.includes(toCase(letter(i)))) found = i;
    });
    if (found >= 0) return letter(found);
  }
  return M3COT_FAILED;
}

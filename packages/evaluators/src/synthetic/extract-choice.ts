import type { Choice, OptionLetter } from '@smart/types';

/**
 * Option letter a multiple-choice response commits to, or null: the last "answer is (X)" /
 * "Answer: X"; else the last "(X)" naming an existing option; else a bare "X" / "(X)" response;
 * else the one option whose text occurs in the response (none or several → null).
 */
export function extractChoiceLetter(response: string, choices: readonly Choice[]): OptionLetter | null {
  const letters = new Set<string>(choices.map((c) => c.letter));
  const valid = (l: string | undefined): l is OptionLetter => l !== undefined && letters.has(l);
  const stated = [...response.matchAll(/answer(?:\s+is)?\s*[:：]?\s*\(?([A-H])\)?(?![A-Za-z])/gi)].map((m) => m[1]!.toUpperCase());
  const lastStated = stated.reverse().find(valid);
  if (lastStated) return lastStated;
  const parens = [...response.matchAll(/\(([A-H])\)/g)].map((m) => m[1]!).reverse().find(valid);
  if (parens) return parens;
  const bare = /^\s*\(?([A-H])\)?[.)]?\s*$/.exec(response)?.[1];
  if (valid(bare)) return bare;
  const lower = response.toLowerCase();
  const mentioned = choices.filter((c) => c.text.length > 0 && lower.includes(c.text.toLowerCase()));
  return mentioned.length === 1 ? mentioned[0]!.letter : null;
}

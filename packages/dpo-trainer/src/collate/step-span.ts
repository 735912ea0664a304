/** What a DPO row's loss covers: the whole completion (TRL) or the first step where chosen and rejected differ. */
export const LOSS_SPANS = ['completion', 'first_differing_step'] as const;
export type LossSpan = (typeof LOSS_SPANS)[number];

/** Where a rationale's steps begin: "Step 1, …", "Step 2: …" (the AoT prompt's format), any case. */
const STEP_START = /(?=\bstep\s*\d+\s*[,.:)])/gi;

/** A rationale cut into steps at its step markers; text before the first marker is a step of its own. Joining gives the text back. */
export function splitSteps(text: string): string[] {
  return text.split(STEP_START).filter((s) => s.length > 0);
}

/**
 * Each completion through the first step where the two differ (Step-DPO's unit, Lai et al. 2024): the steps they
 * share, then their own version of that step; later steps dropped. Null where every step of one is a step of the
 * other (nothing differs step-wise), so the caller keeps the whole completions.
 */
export function throughFirstDifferingStep(chosen: string, rejected: string): { chosen: string; rejected: string } | null {
  const c = splitSteps(chosen);
  const r = splitSteps(rejected);
  const k = c.findIndex((s, i) => i >= r.length || s.trim() !== r[i]!.trim());
  if (k < 0 || k >= r.length) return null;
  const upTo = (steps: string[]) => steps.slice(0, k + 1).join('').trimEnd();
  return { chosen: upTo(c), rejected: upTo(r) };
}

/** Length of the longest common prefix of two token arrays. */
export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

import { choiceFor, concludesOption, finalStep, naiveCotKind, statesLetter } from '@smart/aot-prompts';
import type { PairFilter } from './candidate';

/**
 * Paper conclusion filter (method.md §4): the final step of R must state A and the final step of R'
 * must state A'. A final step that enumerates every option does not count as stating one.
 */
export const conclusionFilter: PairFilter = (pair) => {
  choiceFor(pair, pair.answer);
  choiceFor(pair, pair.wrongAnswer);
  if (!concludesOption(finalStep(pair.chosen), pair.choices, pair.answer)) return 'chosen-missing-answer';
  if (!concludesOption(finalStep(pair.rejected), pair.choices, pair.wrongAnswer)) return 'rejected-missing-answer';
  return null;
};

/** Text after the first line (the released code ignores the first line, which often restates the question). */
function afterFirstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl < 0 ? '' : text.slice(nl + 1);
}

/**
 * Released-code conclusion filter: `(A)` must appear after the first line of the chosen rationale and
 * must not appear after the first line of the rejected one.
 */
export const releasedCodeConclusionFilter: PairFilter = (pair) => {
  if (!statesLetter(afterFirstLine(pair.chosen), pair.answer)) return 'chosen-missing-answer';
  if (statesLetter(afterFirstLine(pair.rejected), pair.answer)) return 'rejected-states-correct-answer';
  return null;
};

/**
 * Naive-CoT conclusion filter (paper appendix A.1): the same as the paper's for R, but a naive R' was not
 * told a wrong answer, so it is kept when its final step does not conclude the correct one (the
 * Naive-CoT rule, `naiveCotKind`); the pair's `wrongAnswer` is not consulted.
 */
export const naiveConclusionFilter: PairFilter = (pair) => {
  choiceFor(pair, pair.answer);
  if (naiveCotKind(pair.chosen, pair) !== 'positive') return 'chosen-missing-answer';
  if (naiveCotKind(pair.rejected, pair) !== 'negative') return 'rejected-states-correct-answer';
  return null;
};

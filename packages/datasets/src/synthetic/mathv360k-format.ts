import { optionString } from '@smart/aot-prompts';
import { OPTION_LETTERS, type OptionLetter } from '@smart/types';

/** The answer-format hint MathV360K puts before every multiple-choice question. */
export const MATHV360K_HINT = 'Please answer the question and provide the correct option letter, e.g., A, B, C, D, at the end.';

/** The MathV360K human turn: `<image>`, the hint, `Question:`, `Choices:` and one `(X) text` line per option. */
export function mathV360KHumanTurn(question: string, options: string[], hint: string = MATHV360K_HINT): string {
  const lines = options.map((text, i) => optionString({ letter: OPTION_LETTERS[i]!, text }));
  return `<image>\nHint: ${hint}\nQuestion: ${question}\nChoices:\n${lines.join('\n')}`;
}

/** The MathV360K gpt turn: `The answer is X`. */
export function mathV360KGptTurn(answer: OptionLetter): string {
  return `The answer is ${answer}`;
}

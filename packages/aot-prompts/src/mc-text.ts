import type { Choice, OptionLetter } from '@smart/types';
import { UnknownOptionError } from './errors';
import type { McItem } from './mc-item';

/** `(B) 115°`: the full option string used in the AoT `[Answer]` slot. */
export function optionString(choice: Choice): string {
  return `(${choice.letter}) ${choice.text}`;
}

/** Finds the choice with `letter`, or throws UnknownOptionError. */
export function choiceFor(item: Pick<McItem, 'choices'>, letter: OptionLetter): Choice {
  const found = item.choices.find((c) => c.letter === letter);
  if (!found) throw new UnknownOptionError(letter, item.choices.map((c) => c.letter));
  return found;
}

/**
 * True for MathV360K's generic answer-format hints ("Please answer the question and provide the
 * correct option letter ..."), which carry no content and would contradict the AoT instruction.
 */
export function isAnswerFormatHint(hint: string): boolean {
  return /^\s*please\s+(answer|provide|directly)/i.test(hint);
}

/** The `[Question]` slot: `Question: ...`, preceded by a content hint when there is one. */
export function questionSlot(item: Pick<McItem, 'question' | 'hint'>): string {
  const hint = item.hint?.trim();
  const prefix = hint && !isAnswerFormatHint(hint) ? `Hint: ${hint} ` : '';
  return `${prefix}Question: ${item.question.trim()}`;
}

/** The `[Choices]` slot: ` Choices: (A) ... (B) ...`, inline as in the released generation code. */
export function choicesSlot(item: Pick<McItem, 'choices'>): string {
  return ` Choices: ${item.choices.map(optionString).join(' ')}`;
}

/** The question as the model sees it at training/eval time, in the MathV360K layout (no `<image>` token). */
export function mcQuestionText(item: Pick<McItem, 'question' | 'hint' | 'choices'>): string {
  const lines: string[] = [];
  if (item.hint?.trim()) lines.push(`Hint: ${item.hint.trim()}`);
  lines.push(`Question: ${item.question.trim()}`, 'Choices:', ...item.choices.map(optionString));
  return lines.join('\n');
}

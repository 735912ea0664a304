import type { RationaleKind } from '@smart/types';
import type { McItem } from './mc-item';
import { finalStep } from './rationale-steps';
import { concludesOption } from './states-option';

/**
 * The Naive-CoT rule (paper §3.1, appendix A.1): a rationale written for the naive prompt, which is not
 * told the answer, is positive when its final step concludes the ground truth and negative otherwise.
 */
export function naiveCotKind(rationale: string, item: Pick<McItem, 'choices' | 'answer'>): RationaleKind {
  return concludesOption(finalStep(rationale), item.choices, item.answer) ? 'positive' : 'negative';
}

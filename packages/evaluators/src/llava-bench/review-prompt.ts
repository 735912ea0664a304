import { tryPyFloat } from '../python/py-float';
import type { LlavaBenchItem } from './llava-bench-record';

/** System message of the official LLaVA-Bench reviewer. */
export const LLAVA_REVIEW_SYSTEM = 'You are a helpful and precise assistant for checking the quality of the answer.';

/** The `llava_bench_{conv,detail,complex}` rule of LLaVA's `rule.json` (the same text for all three). */
export const LLAVA_REVIEW_RULE =
  'We would like to request your feedback on the performance of two AI assistants in response to the user question displayed above. The user asks the question on observing an image. For your reference, the visual content in the image is represented with a few sentences describing the image. \n' +
  'Please rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.\n' +
  'Please first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space.\n' +
  'In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.';

/** Reviewer prompt: caption, question, reference (Assistant 1), the model's answer (Assistant 2), rule. */
export function llavaReviewPrompt(item: LlavaBenchItem, answer: string): string {
  return (
    `[Context]\n${item.caption}\n\n[Question]\n${item.question}\n\n` +
    `[Assistant 1]\n${item.reference}\n\n[End of Assistant 1]\n\n` +
    `[Assistant 2]\n${answer}\n\n[End of Assistant 2]\n\n[System]\n${LLAVA_REVIEW_RULE}\n\n`
  );
}

/**
 * Official `parse_score`: the first line, commas as spaces, split on single spaces, exactly two parts,
 * each read by Python's `float()` (`'８ ６'` is [8, 6], `' 8 6'` has three parts); null where the
 * official returns [-1, -1]. `nan`/`inf`, which Python accepts and which would make the average NaN,
 * are null too.
 */
export function parseLlavaReview(review: string): [number, number] | null {
  const parts = review.split('\n')[0]!.replace(/,/g, ' ').split(' ');
  if (parts.length !== 2) return null;
  const nums = parts.map((p) => tryPyFloat(p));
  return nums.every((n) => n !== null && Number.isFinite(n)) ? [nums[0]!, nums[1]!] : null;
}

import { mcQuestionText } from '@smart/aot-prompts';
import { syntheticPrompt } from '@smart/evaluators';
import type { Sample } from '@smart/types';
import type { RunConfig } from '../config/run-config';

/**
 * The prompt a training pair (or an ablation row) asks its question with: the original question
 * (method.md §2). On the built-in synthetic task that is the question exactly as its held-out scorer
 * asks it, the text the embedded base was fine-tuned on, so what SMART trains is what is measured; on a
 * dataset it is the dataset's question with its choices inline, as the released code builds it.
 */
export function trainingPromptOf(source: RunConfig['source']): (sample: Sample) => string {
  return source === 'synthetic' ? syntheticPrompt : mcQuestionText;
}

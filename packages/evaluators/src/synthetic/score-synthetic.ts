import type { GenerationRequest, ImageInput, Sample } from '@smart/types';
import { failedItem, summarize, type EvalRun, type ScoredItem } from '../report/eval-run';
import { extractChoiceLetter } from './extract-choice';

/** Plain MC prompt: optional hint, question, `(A) ...` options, and the instruction to answer with a letter. */
export function syntheticPrompt(sample: Sample): string {
  const hint = sample.hint ? `Hint: ${sample.hint}\n` : '';
  const options = sample.choices.map((c) => `(${c.letter}) ${c.text}`).join('\n');
  return `${hint}Question: ${sample.question}\nChoices:\n${options}\nAnswer with the option's letter from the given choices.`;
}

/** Generation requests for held-out samples; `imageOf` resolves each sample's image. */
export function syntheticRequests(samples: readonly Sample[], imageOf: (s: Sample) => ImageInput, maxNewTokens = 256): GenerationRequest[] {
  return samples.map((s) => ({ id: s.id, prompt: syntheticPrompt(s), image: imageOf(s), sampling: { temperature: 0, topP: 1, maxNewTokens } }));
}

/** Options of `scoreSynthetic`. */
export interface ScoreSyntheticOptions {
  model: string;
  responses: ReadonlyMap<string, string>;
  /** `Sample.meta` fields to break accuracy down by (e.g. the task's question kind). */
  breakdownKeys?: readonly string[];
  iteration?: number;
}

/** Judge-free accuracy: the extracted letter must equal `Sample.answer`; an unreadable answer is wrong. */
export function scoreSynthetic(samples: readonly Sample[], opts: ScoreSyntheticOptions): EvalRun {
  const keys = opts.breakdownKeys ?? [];
  const items = samples.map((s): ScoredItem => {
    const tags: Record<string, string> = {};
    for (const k of keys) if (s.meta?.[k] !== undefined) tags[k] = String(s.meta[k]);
    const base = { itemId: s.id, prompt: syntheticPrompt(s), tags };
    const response = opts.responses.get(s.id);
    if (response === undefined) return failedItem({ ...base, response: '' }, 'no response');
    const letter = extractChoiceLetter(response, s.choices);
    const correct = letter === s.answer;
    return { ...base, response, extracted: letter, score: correct ? 1 : 0, verdict: correct ? 'correct' : 'wrong' };
  });
  return summarize({ benchmark: 'synthetic', model: opts.model, items, breakdownKeys: keys, iteration: opts.iteration });
}

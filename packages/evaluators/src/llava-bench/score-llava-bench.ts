import type { GenerationRequest } from '@smart/types';
import { join } from 'node:path';
import { JudgeError, JudgeParseError } from '../errors';
import type { Judge } from '../judge/judge';
import { failedItem, mean, type EvalRun, type ScoredItem } from '../report/eval-run';
import type { LlavaBenchItem } from './llava-bench-record';
import { LLAVA_REVIEW_SYSTEM, llavaReviewPrompt, parseLlavaReview } from './review-prompt';

/** Generation requests: the question, temperature 0, 1024 new tokens. */
export function llavaBenchRequests(items: readonly LlavaBenchItem[], imageRoot: string): GenerationRequest[] {
  return items.map((i) => ({ id: i.id, prompt: i.question, image: { kind: 'path', path: join(imageRoot, i.image) }, sampling: { temperature: 0, topP: 1, maxNewTokens: 1024 } }));
}

/** Options of `scoreLlavaBench`. */
export interface ScoreLlavaBenchOptions {
  model: string;
  responses: ReadonlyMap<string, string>;
  judge: Judge;
  /** Re-asks after an unparseable review (each re-ask is a separate cache entry). Default 2. */
  parseRetries?: number;
  iteration?: number;
}

/** Reviews one answer; throws JudgeParseError when no try yields the two scores. */
export async function reviewLlavaAnswer(judge: Judge, item: LlavaBenchItem, answer: string, parseRetries = 2): Promise<{ reference: number; model: number; review: string }> {
  const prompt = llavaReviewPrompt(item, answer);
  let review = '';
  for (let attempt = 0; attempt <= parseRetries; attempt++) {
    review = await judge.complete({ system: LLAVA_REVIEW_SYSTEM, prompt, temperature: 0.2, maxTokens: 1024, replica: attempt });
    const pair = parseLlavaReview(review);
    if (pair) return { reference: pair[0], model: pair[1], review };
  }
  throw new JudgeParseError(judge.model, review, `no "<score> <score>" first line after ${parseRetries + 1} tries`);
}

/**
 * Relative score per category and overall: mean(model) / mean(reference) × 100 over the reviewed
 * items. Unparseable or failed reviews are excluded and counted (the official script averages -1s in).
 */
export async function scoreLlavaBench(items: readonly LlavaBenchItem[], opts: ScoreLlavaBenchOptions): Promise<EvalRun> {
  const reviews = await Promise.all(
    items.map(async (it) => {
      const response = opts.responses.get(it.id);
      if (response === undefined) return { failure: 'no response' } as const;
      try {
        return await reviewLlavaAnswer(opts.judge, it, response, opts.parseRetries ?? 2);
      } catch (e) {
        if (e instanceof JudgeError || e instanceof JudgeParseError) return { failure: e.message } as const;
        throw e;
      }
    }),
  );
  const scored: ScoredItem[] = items.map((it, i) => {
    const r = reviews[i]!;
    const base = { itemId: it.id, prompt: it.question, response: opts.responses.get(it.id) ?? '', tags: { category: it.category } };
    if ('failure' in r) return failedItem(base, r.failure);
    return { ...base, extracted: `${r.reference} ${r.model}`, score: r.model / 10, verdict: 'reviewed' };
  });
  const pairs = (category?: string): { ref: number[]; mod: number[] } => {
    const ref: number[] = [];
    const mod: number[] = [];
    items.forEach((it, i) => {
      const r = reviews[i]!;
      if ('failure' in r || (category !== undefined && it.category !== category)) return;
      ref.push(r.reference);
      mod.push(r.model);
    });
    return { ref, mod };
  };
  const relative = (p: { ref: number[]; mod: number[] }): number => (mean(p.mod) / mean(p.ref)) * 100;
  const all = pairs();
  const categories = [...new Set(items.map((i) => i.category))].sort();
  return {
    result: {
      benchmark: 'llava-bench',
      model: opts.model,
      score: relative(all),
      scale: 'relative',
      scored: all.mod.length,
      failed: items.length - all.mod.length,
      breakdowns: { category: Object.fromEntries(categories.map((c) => [c, relative(pairs(c))])) },
      ...(opts.iteration === undefined ? {} : { iteration: opts.iteration }),
    },
    items: scored,
    judgeModel: opts.judge.model,
    extra: { model_score_x10: mean(all.mod) * 10, reference_score_x10: mean(all.ref) * 10 },
  };
}

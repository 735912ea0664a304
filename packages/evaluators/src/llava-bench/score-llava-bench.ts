import type { GenerationRequest } from '@smart/types';
import { resolve } from 'node:path';
import { JudgeError } from '../errors';
import type { Judge } from '../judge/judge';
import { pyRound } from '../python/py-round';
import { failedItem, NO_RESPONSE, type EvalRun, type ScoredItem } from '../report/eval-run';
import type { UnparseablePolicy } from '../report/unparseable-policy';
import type { LlavaBenchItem } from './llava-bench-record';
import { LLAVA_REVIEW_SYSTEM, llavaReviewPrompt, parseLlavaReview } from './review-prompt';

/** Generation requests: the question, temperature 0, 1024 new tokens. */
export function llavaBenchRequests(items: readonly LlavaBenchItem[], imageRoot: string): GenerationRequest[] {
  return items.map((i) => ({ id: i.id, prompt: i.question, image: { kind: 'path', path: resolve(imageRoot, i.image) }, sampling: { temperature: 0, topP: 1, maxNewTokens: 1024 } }));
}

/** Options of `scoreLlavaBench`. */
export interface ScoreLlavaBenchOptions {
  model: string;
  responses: ReadonlyMap<string, string>;
  judge: Judge;
  /** Re-asks after an unparseable review (each a separate cache entry); 0 is the official single ask. Default 2. */
  parseRetries?: number;
  /** Reviews that never parse: averaged in as [-1, -1] like the official script (default), or excluded. */
  unparseable?: UnparseablePolicy;
  iteration?: number;
}

/** A review's two scores, or `null` pair when no try parsed; `review` is the last reply. */
export interface LlavaReview {
  reference: number;
  model: number;
  review: string;
  unparseable: boolean;
}

/**
 * Reviews one answer (system prompt, temperature 0.2). A reply whose first line is not two numbers is
 * asked again up to `parseRetries` times, then scored [-1, -1] as the official `parse_score` does,
 * with `unparseable` set. A failed call (transport error, blank reply) rejects with JudgeError.
 */
export async function reviewLlavaAnswer(judge: Judge, item: LlavaBenchItem, answer: string, parseRetries = 2): Promise<LlavaReview> {
  const prompt = llavaReviewPrompt(item, answer);
  let review = '';
  for (let attempt = 0; attempt <= parseRetries; attempt++) {
    review = await judge.complete({ system: LLAVA_REVIEW_SYSTEM, prompt, temperature: 0.2, maxTokens: 1024, replica: attempt });
    const pair = parseLlavaReview(review);
    if (pair) return { reference: pair[0], model: pair[1], review, unparseable: false };
  }
  return { reference: -1, model: -1, review, unparseable: true };
}

/** `round(mean(model)/mean(reference)*100)` inputs as the official summary: column means rounded to 3 decimals. */
function stats(pairs: readonly LlavaReview[]): { reference: number; model: number } {
  let ref = 0;
  let mod = 0;
  for (const p of pairs) {
    ref += p.reference;
    mod += p.model;
  }
  return { reference: pyRound(ref / pairs.length, 3), model: pyRound(mod / pairs.length, 3) };
}

/**
 * Relative score per category and overall as `summarize_gpt_review.py`: mean(model) / mean(reference)
 * × 100 with both means first rounded to 3 decimals (the table rounds the ratio to 1 decimal).
 * Unparseable reviews are averaged in as [-1, -1] and counted (or excluded); failed calls and missing
 * answers are excluded and counted.
 */
export async function scoreLlavaBench(items: readonly LlavaBenchItem[], opts: ScoreLlavaBenchOptions): Promise<EvalRun> {
  const policy = opts.unparseable ?? 'official';
  const reviews = await Promise.all(
    items.map(async (it): Promise<LlavaReview | { failure: string; kind: 'generation' | 'judge' }> => {
      const response = opts.responses.get(it.id);
      if (response === undefined) return { failure: NO_RESPONSE, kind: 'generation' };
      try {
        return await reviewLlavaAnswer(opts.judge, it, response, opts.parseRetries ?? 2);
      } catch (e) {
        if (e instanceof JudgeError) return { failure: e.message, kind: 'judge' };
        throw e;
      }
    }),
  );
  const counted = (r: (typeof reviews)[number]): r is LlavaReview => !('failure' in r) && !(r.unparseable && policy === 'exclude');
  const scored: ScoredItem[] = items.map((it, i) => {
    const r = reviews[i]!;
    const base = { itemId: it.id, prompt: it.question, response: opts.responses.get(it.id) ?? '', tags: { category: it.category } };
    if ('failure' in r) return failedItem(base, r.failure, r.kind);
    if (!counted(r)) return { ...failedItem(base, 'review unparseable after all tries', 'unparseable'), unparseable: true };
    return { ...base, extracted: `${r.reference} ${r.model}`, score: Math.max(0, r.model) / 10, verdict: 'reviewed', ...(r.unparseable ? { unparseable: true } : {}) };
  });
  const relative = (category?: string): number => {
    const pairs = reviews.filter((r, i): r is LlavaReview => counted(r) && (category === undefined || items[i]!.category === category));
    if (pairs.length === 0) return Number.NaN;
    const s = stats(pairs);
    return (s.model / s.reference) * 100;
  };
  const all = reviews.filter(counted);
  const categories = [...new Set(items.map((i) => i.category))].sort();
  const s = all.length ? stats(all) : { reference: Number.NaN, model: Number.NaN };
  return {
    result: {
      benchmark: 'llava-bench',
      model: opts.model,
      score: relative(),
      scale: 'relative',
      scored: all.length,
      failed: items.length - all.length,
      breakdowns: { category: Object.fromEntries(categories.map((c) => [c, relative(c)])) },
      ...(opts.iteration === undefined ? {} : { iteration: opts.iteration }),
    },
    items: scored,
    judgeModel: opts.judge.model,
    unparseableRule: policy === 'official' ? 'averaged in as [-1, -1], as the official script does' : 'excluded from every score',
    extra: { reference_mean: s.reference, model_mean: s.model },
  };
}

import type { GenerationRequest } from '@smart/types';
import { resolve } from 'node:path';
import { JudgeError } from '../errors';
import type { Judge } from '../judge/judge';
import { failedItem, NO_RESPONSE, summarize, type EvalRun, type ScoredItem } from '../report/eval-run';
import { extractMathVistaAnswer } from './extract-answer';
import { MATHVISTA_BREAKDOWNS, type MathVistaRecord } from './mathvista-record';
import { normalizeMathVistaAnswer } from './normalize-answer';

/** Generation requests: the official `query` with the item's image (the embedded one when loaded from Parquet, else `image` under `imageRoot`). */
export function mathvistaRequests(records: readonly MathVistaRecord[], imageRoot: string, maxNewTokens = 1024): GenerationRequest[] {
  return records.map((r) => ({
    id: r.pid,
    prompt: r.query,
    image: { kind: 'path', path: r.decoded_image ?? resolve(imageRoot, r.image) },
    sampling: { temperature: 0, topP: 1, maxNewTokens },
  }));
}

/** Options of `scoreMathVista`. */
export interface ScoreMathVistaOptions {
  model: string;
  /** Responses by pid; items without one are reported as failures. */
  responses: ReadonlyMap<string, string>;
  judge?: Judge;
  quickExtract?: boolean;
  iteration?: number;
}

/** Extracts, normalizes and scores every item; accuracy overall and by each metadata field. */
export async function scoreMathVista(records: readonly MathVistaRecord[], opts: ScoreMathVistaOptions): Promise<EvalRun> {
  const items = await Promise.all(
    records.map(async (r): Promise<ScoredItem> => {
      const tags = {
        question_type: r.question_type,
        answer_type: r.answer_type,
        source: r.metadata.source,
        category: r.metadata.category,
        task: r.metadata.task,
        context: r.metadata.context,
        grade: r.metadata.grade,
        skills: r.metadata.skills,
        language: r.metadata.language,
      };
      const base = { itemId: r.pid, prompt: r.query, tags };
      const response = opts.responses.get(r.pid);
      if (response === undefined) return failedItem({ ...base, response: '' }, NO_RESPONSE);
      try {
        const { extraction } = await extractMathVistaAnswer(response, r, {
          ...(opts.judge ? { judge: opts.judge } : {}),
          quickExtract: opts.quickExtract ?? false,
        });
        const normalized = normalizeMathVistaAnswer(extraction, r);
        const correct = normalized === r.answer;
        return { ...base, response, extracted: normalized, score: correct ? 1 : 0, verdict: correct ? 'correct' : 'wrong' };
      } catch (e) {
        if (!(e instanceof JudgeError)) throw e;
        return failedItem({ ...base, response }, e.message, 'judge');
      }
    }),
  );
  return summarize({
    benchmark: 'mathvista',
    model: opts.model,
    items,
    breakdownKeys: MATHVISTA_BREAKDOWNS,
    judgeModel: opts.judge?.model,
    iteration: opts.iteration,
  });
}

import type { GenerationRequest } from '@smart/types';
import { join } from 'node:path';
import { JudgeError, JudgeParseError } from '../errors';
import type { Judge } from '../judge/judge';
import { breakdownsOf, failedItem, mean, type EvalRun, type ScoredItem } from '../report/eval-run';
import { gradeMMVet, type UnparseablePolicy } from './grade-mmvet';
import type { MMVetRecord } from './mmvet-record';

/** Generation requests: the question alone, with the item's image. */
export function mmvetRequests(records: readonly MMVetRecord[], imageRoot: string, maxNewTokens = 1024): GenerationRequest[] {
  return records.map((r) => ({ id: r.id, prompt: r.question, image: { kind: 'path', path: join(imageRoot, r.imagename) }, sampling: { temperature: 0, topP: 1, maxNewTokens } }));
}

/** Options of `scoreMMVet`. */
export interface ScoreMMVetOptions {
  model: string;
  responses: ReadonlyMap<string, string>;
  judge: Judge;
  /** Grading runs (paper: 5); reported as mean and population std. Default 1. */
  runs?: number;
  unparseable?: UnparseablePolicy;
  iteration?: number;
}

/** Population standard deviation (numpy's default). */
function std(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
}

/**
 * Grades every item `runs` times. Scores are ×100: total and per capability (an item counts for each
 * of its capabilities) and per capability combination; `extra` has the std over runs and each run's
 * total. An item whose grading failed in any run is excluded from every number and counted in `failed`.
 */
export async function scoreMMVet(records: readonly MMVetRecord[], opts: ScoreMMVetOptions): Promise<EvalRun> {
  const runs = opts.runs ?? 1;
  const grades = await Promise.all(
    records.map(async (r): Promise<{ scores: number[] } | { failure: string }> => {
      const response = opts.responses.get(r.id);
      if (response === undefined) return { failure: 'no response' };
      try {
        const scores: number[] = [];
        for (let run = 0; run < runs; run++) {
          scores.push((await gradeMMVet(opts.judge, r, response, { run, ...(opts.unparseable ? { unparseable: opts.unparseable } : {}) })).score);
        }
        return { scores };
      } catch (e) {
        if (e instanceof JudgeError || e instanceof JudgeParseError) return { failure: e.message };
        throw e;
      }
    }),
  );
  const items: ScoredItem[] = records.map((r, i) => {
    const g = grades[i]!;
    const combo = [...new Set(r.capability)].sort().join('_');
    const base = { itemId: r.id, prompt: r.question, response: opts.responses.get(r.id) ?? '', tags: { capability: r.capability, capability_combo: combo } };
    if ('failure' in g) return failedItem(base, g.failure);
    return { ...base, extracted: g.scores.join(','), score: mean(g.scores), verdict: 'graded' };
  });
  const ok = grades.flatMap((g) => ('scores' in g ? [g.scores] : []));
  const runTotals = Array.from({ length: runs }, (_, k) => mean(ok.map((s) => s[k]!)) * 100);
  const round1 = (x: number): number => Math.round(x * 10) / 10;
  return {
    result: {
      benchmark: 'mmvet',
      model: opts.model,
      score: mean(runTotals),
      scale: 'percent',
      scored: ok.length,
      failed: records.length - ok.length,
      breakdowns: breakdownsOf(items, ['capability', 'capability_combo'], 100),
      ...(opts.iteration === undefined ? {} : { iteration: opts.iteration }),
    },
    items,
    judgeModel: opts.judge.model,
    extra: { runs, std: round1(std(runTotals)), run_totals: runTotals.map(round1) },
  };
}

import type { GenerationRequest } from '@smart/types';
import { resolve } from 'node:path';
import { JudgeError } from '../errors';
import type { Judge } from '../judge/judge';
import { npRound } from '../python/np-round';
import { failedItem, mean, NO_RESPONSE, type EvalRun, type ScoredItem } from '../report/eval-run';
import type { UnparseablePolicy } from '../report/unparseable-policy';
import { gradeMMVet } from './grade-mmvet';
import type { MMVetRecord } from './mmvet-record';

/** Generation requests: the question alone, with the item's image (the embedded one for lmms-lab rows). */
export function mmvetRequests(records: readonly MMVetRecord[], imageRoot: string, maxNewTokens = 1024): GenerationRequest[] {
  return records.map((r) => ({ id: r.id, prompt: r.question, image: { kind: 'path', path: r.image ?? resolve(imageRoot, r.imagename) }, sampling: { temperature: 0, topP: 1, maxNewTokens } }));
}

/** Options of `scoreMMVet`. */
export interface ScoreMMVetOptions {
  model: string;
  responses: ReadonlyMap<string, string>;
  judge: Judge;
  /** Grading runs (paper: 5); reported as mean and population std. Default 1. */
  runs?: number;
  /** Grades that never parse: 0.0 as the official script (default), or excluded. */
  unparseable?: UnparseablePolicy;
  iteration?: number;
}

type Graded = { scores: number[]; unparseable: boolean } | { failure: string; kind: 'generation' | 'judge' };

/** Population standard deviation (numpy's default). */
function std(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
}

/**
 * Per-run `sum(grades of the items in the bucket, in file order) / count × 100`, as the official
 * `export_result` accumulates it; the bucket's number is the mean over runs.
 */
function runTotals(rows: readonly number[][], runs: number): number[] {
  return Array.from({ length: runs }, (_, k) => {
    let sum = 0;
    for (const r of rows) sum += r[k]!;
    return (sum / rows.length) * 100;
  });
}

/**
 * Grades every item `runs` times and scores as the official evaluator: total and per capability (an
 * item counts for each of its capabilities) and per capability combination, ×100, mean over runs;
 * `extra` has the std over runs and each run's total (numpy-rounded to 1 decimal). A failed judge call
 * or missing answer in any run excludes the item from every number (counted as failed); an
 * unparseable grade is 0.0 (counted) or, with `unparseable: 'exclude'`, a failure too.
 */
export async function scoreMMVet(records: readonly MMVetRecord[], opts: ScoreMMVetOptions): Promise<EvalRun> {
  const runs = opts.runs ?? 1;
  const policy = opts.unparseable ?? 'official';
  const grades = await Promise.all(
    records.map(async (r): Promise<Graded> => {
      const response = opts.responses.get(r.id);
      if (response === undefined) return { failure: NO_RESPONSE, kind: 'generation' };
      try {
        const scores: number[] = [];
        let unparseable = false;
        for (let run = 0; run < runs; run++) {
          const g = await gradeMMVet(opts.judge, r, response, { run });
          scores.push(g.score);
          unparseable ||= g.unparseable;
        }
        return { scores, unparseable };
      } catch (e) {
        if (e instanceof JudgeError) return { failure: e.message, kind: 'judge' };
        throw e;
      }
    }),
  );
  const items: ScoredItem[] = records.map((r, i) => {
    const g = grades[i]!;
    const combo = [...new Set(r.capability)].sort().join('_');
    const base = { itemId: r.id, prompt: r.question, response: opts.responses.get(r.id) ?? '', tags: { capability: r.capability, capability_combo: combo } };
    if ('failure' in g) return failedItem(base, g.failure, g.kind);
    if (g.unparseable && policy === 'exclude') return { ...failedItem(base, 'grade unparseable after 5 tries', 'unparseable'), unparseable: true };
    return { ...base, extracted: g.scores.join(','), score: mean(g.scores), verdict: 'graded', ...(g.unparseable ? { unparseable: true } : {}) };
  });
  const scoredRows = (pick: (r: MMVetRecord) => boolean): number[][] =>
    records.flatMap((r, i) => (items[i]!.failure === undefined && pick(r) ? [(grades[i] as { scores: number[] }).scores] : []));
  const bucket = (pick: (r: MMVetRecord) => boolean): number => {
    const rows = scoredRows(pick);
    return rows.length === 0 ? Number.NaN : mean(runTotals(rows, runs));
  };
  const totals = runTotals(scoredRows(() => true), runs);
  const caps = [...new Set(records.flatMap((r) => r.capability))].sort();
  const combos = [...new Set(items.map((it) => it.tags!['capability_combo'] as string))].sort();
  const scored = items.filter((it) => it.failure === undefined).length;
  return {
    result: {
      benchmark: 'mmvet',
      model: opts.model,
      score: scored === 0 ? Number.NaN : mean(totals),
      scale: 'percent',
      scored,
      failed: records.length - scored,
      breakdowns: {
        capability: Object.fromEntries(caps.map((c) => [c, bucket((r) => r.capability.includes(c as MMVetRecord['capability'][number]))])),
        capability_combo: Object.fromEntries(combos.map((c) => [c, bucket((r) => [...new Set(r.capability)].sort().join('_') === c)])),
      },
      ...(opts.iteration === undefined ? {} : { iteration: opts.iteration }),
    },
    items,
    judgeModel: opts.judge.model,
    unparseableRule: policy === 'official' ? 'graded 0.0 after 5 tries, as the official script does' : 'excluded from every score',
    extra: { runs, std: npRound(std(totals), 1), run_totals: totals.map((t) => npRound(t, 1)) },
  };
}

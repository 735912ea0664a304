import type { BenchmarkName, EvalItemResult, EvalResult } from '@smart/types';

/** Why an item has no score: no answer was generated, the judge call failed, its reply never parsed (when excluded), or else. */
export type FailureKind = 'generation' | 'judge' | 'unparseable' | 'other';

/** The failure text of an item the generator gave no answer for. */
export const NO_RESPONSE = 'no response';

/** One scored item as written to the per-sample JSONL: the shared item result plus prompt and verdict. */
export interface ScoredItem extends EvalItemResult {
  prompt: string;
  /** Benchmark-specific verdict: `correct`/`wrong`, MMCode's `pass`/`fail`/`timeout`..., or `failed`. */
  verdict: string;
  /** Set with `failure`. */
  failureKind?: FailureKind;
  /**
   * The judge answered but never in a parseable form (after the scorer's retries). Scored by the official
   * fallback (MM-Vet 0.0, LLaVA-Bench [-1, -1]) unless the run excluded such items, which then fail.
   */
  unparseable?: boolean;
}

/** Everything one benchmark run produced. */
export interface EvalRun {
  result: EvalResult;
  items: ScoredItem[];
  /** Judge model used for extraction or grading, when any. */
  judgeModel?: string;
  /** Extra headline numbers a benchmark reports (MM-Vet std over runs, LLaVA-Bench mean scores). */
  extra?: Record<string, number | string | number[]>;
  /** What happened to unparseable judge replies, in words (printed beside their count). */
  unparseableRule?: string;
}

/** How many items a run had, scored, failed (by kind) and scored through an unparseable-reply fallback. */
export interface RunTally {
  items: number;
  scored: number;
  failed: number;
  failedBy: Record<FailureKind, number>;
  unparseable: number;
}

/** An item that could not be scored: score 0 and verdict `failed`; every mean leaves it out. */
export function failedItem(
  base: Pick<ScoredItem, 'itemId' | 'prompt' | 'response' | 'tags'>,
  failure: string,
  kind: FailureKind = failure === NO_RESPONSE ? 'generation' : 'other',
): ScoredItem {
  return { ...base, extracted: null, score: 0, verdict: 'failed', failure, failureKind: kind };
}

/** Counts of a run's items; `failedBy` sums to `failed`. */
export function tallyItems(items: readonly ScoredItem[]): RunTally {
  const failedBy: Record<FailureKind, number> = { generation: 0, judge: 0, unparseable: 0, other: 0 };
  let failed = 0;
  let unparseable = 0;
  for (const item of items) {
    if (item.unparseable) unparseable++;
    if (item.failure === undefined) continue;
    failed++;
    failedBy[item.failureKind ?? 'other']++;
  }
  return { items: items.length, scored: items.length - failed, failed, failedBy, unparseable };
}

/** True when every item was scored from a parsed judge reply: what `--strict` requires. */
export function isCompleteRun(run: Pick<EvalRun, 'items'>): boolean {
  const t = tallyItems(run.items);
  return t.failed === 0 && t.unparseable === 0;
}

/** Mean of scores; NaN for an empty list (an empty bucket has no score, not 0). */
export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * Per-tag mean of item scores over the items that were scored (failures excluded, never counted as 0).
 * Array-valued tags (MathVista skills) put an item in every listed bucket.
 */
export function breakdownsOf(items: readonly EvalItemResult[], keys: readonly string[], scale = 1): Record<string, Record<string, number>> {
  return mapBuckets(items, keys, (scores) => mean(scores) * scale);
}

/** Items scored in each bucket of `breakdownsOf` (its denominators). */
export function breakdownCountsOf(items: readonly EvalItemResult[], keys: readonly string[]): Record<string, Record<string, number>> {
  return mapBuckets(items, keys, (scores) => scores.length);
}

function mapBuckets(items: readonly EvalItemResult[], keys: readonly string[], reduce: (scores: number[]) => number): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const key of keys) {
    const buckets = new Map<string, number[]>();
    for (const item of items) {
      if (item.failure !== undefined) continue;
      const tag = item.tags?.[key];
      if (tag === undefined) continue;
      for (const value of Array.isArray(tag) ? tag : [tag]) {
        const bucket = buckets.get(value) ?? [];
        bucket.push(item.score);
        buckets.set(value, bucket);
      }
    }
    out[key] = Object.fromEntries([...buckets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([v, s]) => [v, reduce(s)]));
  }
  return out;
}

/** Options of `summarize`. */
export interface SummarizeOptions {
  benchmark: BenchmarkName;
  model: string;
  items: ScoredItem[];
  breakdownKeys: readonly string[];
  scale?: EvalResult['scale'];
  judgeModel?: string;
  iteration?: number;
}

/** Builds the run summary: headline = mean score of scored items; `failed` counts the rest. */
export function summarize(opts: SummarizeOptions): EvalRun {
  const scored = opts.items.filter((i) => i.failure === undefined);
  const result: EvalResult = {
    benchmark: opts.benchmark,
    model: opts.model,
    score: mean(scored.map((i) => i.score)),
    scale: opts.scale ?? 'fraction',
    scored: scored.length,
    failed: opts.items.length - scored.length,
    breakdowns: breakdownsOf(opts.items, opts.breakdownKeys),
    ...(opts.breakdownKeys.length > 0 ? { breakdownCounts: breakdownCountsOf(opts.items, opts.breakdownKeys) } : {}),
    ...(opts.iteration === undefined ? {} : { iteration: opts.iteration }),
  };
  return { result, items: opts.items, ...(opts.judgeModel === undefined ? {} : { judgeModel: opts.judgeModel }) };
}

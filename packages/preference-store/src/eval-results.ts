import type { BenchmarkName, EvalItemResult, EvalResult } from '@smart/types';
import type { Statements } from './statements';

/** Stand-in for "no iteration": NULL cannot take part in a primary key. */
const NO_ITERATION = -1;

interface EvalRow {
  benchmark: string;
  iteration: number;
  model: string;
  score: number;
  scale: string;
  scored: number;
  failed: number;
  breakdowns: string;
}

interface ItemRow {
  item_id: string;
  response: string;
  extracted: string | null;
  score: number;
  failure: string | null;
  tags: string | null;
}

/** Upserts a benchmark result keyed by (benchmark, iteration, model), with its per-item rows when given. */
export function putEvalResult(st: Statements, result: EvalResult, items: readonly EvalItemResult[] | undefined, createdAt: string): void {
  const iteration = result.iteration ?? NO_ITERATION;
  st.get(
    `INSERT INTO eval_results (benchmark, iteration, model, score, scale, scored, failed, breakdowns, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(benchmark, iteration, model) DO UPDATE SET score = excluded.score, scale = excluded.scale,
       scored = excluded.scored, failed = excluded.failed, breakdowns = excluded.breakdowns`,
  ).run(result.benchmark, iteration, result.model, result.score, result.scale, result.scored, result.failed, JSON.stringify(result.breakdowns), createdAt);
  if (!items) return;
  const put = st.get(
    `INSERT INTO eval_items (benchmark, iteration, model, item_id, response, extracted, score, failure, tags)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(benchmark, iteration, model, item_id) DO UPDATE SET response = excluded.response,
       extracted = excluded.extracted, score = excluded.score, failure = excluded.failure, tags = excluded.tags`,
  );
  for (const it of items) {
    put.run(
      result.benchmark,
      iteration,
      result.model,
      it.itemId,
      it.response,
      it.extracted,
      it.score,
      it.failure ?? null,
      it.tags === undefined ? null : JSON.stringify(it.tags),
    );
  }
}

/** Stored benchmark results, ordered by iteration, benchmark and model. */
export function listEvalResults(st: Statements, filter: { benchmark?: BenchmarkName; iteration?: number } = {}): EvalResult[] {
  const rows = st
    .get(
      `SELECT * FROM eval_results WHERE (@b IS NULL OR benchmark = @b) AND (@i IS NULL OR iteration = @i)
       ORDER BY iteration, benchmark, model`,
    )
    .all({ b: filter.benchmark ?? null, i: filter.iteration ?? null }) as EvalRow[];
  return rows.map((r) => {
    const out: EvalResult = {
      benchmark: r.benchmark as BenchmarkName,
      model: r.model,
      score: r.score,
      scale: r.scale as EvalResult['scale'],
      scored: r.scored,
      failed: r.failed,
      breakdowns: JSON.parse(r.breakdowns) as EvalResult['breakdowns'],
    };
    if (r.iteration !== NO_ITERATION) out.iteration = r.iteration;
    return out;
  });
}

/** Per-item rows of one benchmark run, by item id. */
export function listEvalItems(st: Statements, benchmark: BenchmarkName, model: string, iteration?: number): EvalItemResult[] {
  const rows = st
    .get('SELECT * FROM eval_items WHERE benchmark = ? AND iteration = ? AND model = ? ORDER BY item_id')
    .all(benchmark, iteration ?? NO_ITERATION, model) as ItemRow[];
  return rows.map((r) => {
    const out: EvalItemResult = { itemId: r.item_id, response: r.response, extracted: r.extracted, score: r.score };
    if (r.failure !== null) out.failure = r.failure;
    if (r.tags !== null) out.tags = JSON.parse(r.tags) as EvalItemResult['tags'];
    return out;
  });
}

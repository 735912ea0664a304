/** Benchmarks the toolkit evaluates on. */
export type BenchmarkName = 'mathvista' | 'm3cot' | 'mmvet' | 'mmcode' | 'llava-bench' | 'synthetic';

/** Score of one benchmark item. */
export interface EvalItemResult {
  itemId: string;
  /** Raw model response. */
  response: string;
  /** What was extracted from the response (a letter, a number, code, ...). */
  extracted: string | null;
  /** Item score in [0, 1] (accuracy items are 0 or 1; judged items may be fractional). */
  score: number;
  /** Set when the item could not be scored (judge failed, sandbox error); never counted as 0. */
  failure?: string;
  /** Breakdown keys for this item, e.g. `{ category: 'math-word-problem' }`. */
  tags?: Record<string, string | string[]>;
}

/** Aggregate result of one benchmark run. */
export interface EvalResult {
  benchmark: BenchmarkName;
  model: string;
  /** Headline score as a fraction in [0, 1] (or the benchmark's own scale, see `scale`). */
  score: number;
  scale: 'fraction' | 'percent' | 'relative';
  /** Items scored and items that failed to score. */
  scored: number;
  failed: number;
  /** Breakdown name -> bucket -> score. */
  breakdowns: Record<string, Record<string, number>>;
  /** Breakdown name -> bucket -> items scored in it (the denominator of `breakdowns`), where the scorer counts them. */
  breakdownCounts?: Record<string, Record<string, number>>;
  /** Iteration of the SMART loop that produced the model (0 = base). */
  iteration?: number;
}

import { open, stat, truncate } from 'node:fs/promises';
import { ResumeStateError } from '../errors';
import { z } from 'zod';
import type { StepMetrics } from '../engine/types';

/** TRL's per-micro-batch metric names averaged into each logged row (weighted by pairs or rows). */
export const AVERAGED_METRICS = [
  'loss',
  'rewards/chosen',
  'rewards/rejected',
  'rewards/accuracies',
  'rewards/margins',
  'logps/chosen',
  'logps/rejected',
  'logits/chosen',
  'logits/rejected',
  'nll_loss',
] as const;

/** Running sums of the steps since the last logged row (saved with the resume state). */
export const metricsWindowSchema = z.object({
  sums: z.record(z.string(), z.number()),
  count: z.number(),
  tokens: z.number(),
});

/** Sums of the metrics of the micro-batches since the last log. */
export type MetricsWindow = z.infer<typeof metricsWindowSchema>;

/** An empty window. */
export const emptyWindow = (): MetricsWindow => ({ sums: {}, count: 0, tokens: 0 });

/** Adds one micro-batch's metrics, weighted by its pair (or row) count. */
export function addToWindow(w: MetricsWindow, m: StepMetrics): void {
  for (const k of AVERAGED_METRICS) {
    const v = m[k];
    if (v !== undefined) w.sums[k] = (w.sums[k] ?? 0) + v * m.count;
  }
  w.count += m.count;
  w.tokens += m.tokens;
}

/** One row of train-metrics.jsonl: TRL's names, plus `step`. */
export type MetricsRow = Record<string, number>;

/** The logged row of a window: count-weighted means, then grad_norm, learning_rate, epoch, step (TRL / Trainer names). */
export function windowRow(w: MetricsWindow, extra: { grad_norm: number; learning_rate: number; epoch: number; step: number; num_tokens?: number }): MetricsRow {
  const row: MetricsRow = {};
  for (const k of AVERAGED_METRICS) if (w.sums[k] !== undefined) row[k] = w.sums[k]! / w.count;
  return { ...row, ...extra };
}

/**
 * Appends rows to train-metrics.jsonl. Opened at the byte length the resume state recorded, so rows of steps
 * that ran after the last save (and will run again) are dropped rather than duplicated.
 */
export class MetricsFile {
  private constructor(
    readonly path: string,
    private bytes: number,
  ) {}

  /** Opens (creating) the file and truncates it to `bytes`. */
  static async open(path: string, bytes: number): Promise<MetricsFile> {
    const h = await open(path, 'a');
    await h.close();
    const { size } = await stat(path);
    if (size < bytes) throw new ResumeStateError(path, `holds ${size} bytes but the saved state recorded ${bytes}: the metrics log was changed since`);
    await truncate(path, bytes);
    return new MetricsFile(path, bytes);
  }

  /** Byte length after the rows appended so far. */
  get length(): number {
    return this.bytes;
  }

  /** Appends one JSON line and fsyncs it. */
  async append(row: MetricsRow): Promise<void> {
    const line = Buffer.from(`${JSON.stringify(row)}\n`);
    const h = await open(this.path, 'a');
    try {
      await h.write(line);
      await h.sync();
    } finally {
      await h.close();
    }
    this.bytes += line.length;
  }
}

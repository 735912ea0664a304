import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PreferenceStore } from '@smart/preference-store';
import type { DropReason } from '@smart/types';
import { z } from 'zod';
import type { RunConfig } from '../config/run-config';
import type { RunPaths } from './run-paths';
import { parseRecordText, readRegularTextSync, writeFileAtomicSync as writeFileAtomic } from '@smart/core';
import { controlDir, readControlDone } from '../stages/control-sft';

/** A headline score with its item counts. */
export interface ScoreLine {
  accuracy: number | null;
  n: number;
  failed: number;
  /** Accuracy and scored items per bucket (synthetic task: per `kind` and per `question` variant), where the held-out file tags its rows. */
  breakdowns?: Record<string, Record<string, { accuracy: number; n: number }>>;
}

/** A benchmark's headline in summary.json: score over `scored` items; `failed` items are in no score; `unparseable` judge replies got the official fallback (or failed, when excluded). */
export interface BenchmarkLine {
  score: number | null;
  failed: number;
  scored?: number;
  unparseable?: number;
}

/** One iteration's row of summary.json (cli.md). */
export interface IterationSummary {
  iteration: number;
  samples: number;
  pairs: number;
  dropped: Partial<Record<DropReason, number>>;
  trainSteps: number | null;
  heldOut: ScoreLine | null;
  benchmarks: Record<string, BenchmarkLine>;
}

/** summary.json: machine-readable results, rewritten after every stage. */
export interface RunSummary {
  name: string;
  model: string;
  task: string;
  base: { heldOut: ScoreLine | null; benchmarks: Record<string, BenchmarkLine> };
  iterations: IterationSummary[];
  /** Embedded default: continued SFT of the base on the same samples for SMART's wall time (the lift's control). */
  control?: { heldOut: ScoreLine | null; steps: number; budgetSeconds: number; secondsPerStep: number; samples: number };
  stoppedBecause: string | null;
}

function readControl(paths: RunPaths): RunSummary['control'] {
  const done = readControlDone(paths);
  return done ? { heldOut: readScore(join(controlDir(paths), 'eval', 'held-out', 'synthetic.json')), ...done } : undefined;
}

const bucketsSchema = z.record(z.string(), z.record(z.string(), z.number()));
const evalJsonSchema = z.object({ score: z.number().nullable(), scored: z.number(), failed: z.number(), breakdowns: bucketsSchema.optional(), breakdownCounts: bucketsSchema.optional() }).passthrough();

/** Held-out scores are written under `iter-k/eval/held-out/`, extra benchmarks under `iter-k/eval/<name>/`. */
export function heldOutDir(paths: RunPaths, k: number): string {
  return join(paths.evalDir(k), 'held-out');
}

/** A run-folder JSON file, or undefined when it is absent, not a regular file, or not JSON (the report then shows no value). */
function readJsonFile(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readRegularTextSync(file, { maxBytes: 64 * 2 ** 20 }));
  } catch {
    return undefined;
  }
}

function readScore(file: string): ScoreLine | null {
  const json = readJsonFile(file);
  if (json === undefined) return null;
  const parsed = evalJsonSchema.safeParse(json);
  if (!parsed.success) return null;
  const { score, scored, failed } = parsed.data;
  const breakdowns = scoreBreakdowns(parsed.data.breakdowns ?? {}, parsed.data.breakdownCounts ?? {});
  return { accuracy: score, n: scored + failed, failed, ...(breakdowns ? { breakdowns } : {}) };
}

// Buckets with both a score and a count; undefined when there are none (an untagged file).
function scoreBreakdowns(scores: Record<string, Record<string, number>>, counts: Record<string, Record<string, number>>): ScoreLine['breakdowns'] {
  const out: NonNullable<ScoreLine['breakdowns']> = {};
  for (const [key, buckets] of Object.entries(scores)) {
    const entries = Object.entries(buckets).flatMap(([bucket, accuracy]) => {
      const n = counts[key]?.[bucket];
      return n === undefined ? [] : [[bucket, { accuracy, n }] as const];
    });
    if (entries.length > 0) out[key] = Object.fromEntries(entries);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Optimizer steps recorded in `iter-k/train-metrics.jsonl` (the last `step` field), or null before training. */
export function trainSteps(file: string): number | null {
  if (!existsSync(file)) return null;
  let last: number | null = null;
  for (const record of parseRecordText(readRegularTextSync(file), file, { format: 'jsonl' })) {
    // A torn last line of a killed run is a bad row: ignored.
    const step = record.ok ? (record.value as { step?: unknown } | null)?.step : undefined;
    if (typeof step === 'number') last = step;
  }
  return last;
}

const benchmarkJsonSchema = evalJsonSchema.extend({ counts: z.object({ unparseable: z.number() }).passthrough().optional() });

function benchmarkScores(paths: RunPaths, config: RunConfig, k: number): Record<string, BenchmarkLine> {
  const out: Record<string, BenchmarkLine> = {};
  for (const b of config.benchmarks) {
    const file = join(paths.evalDir(k), b.name, `${b.name}.json`);
    const s = readScore(file);
    if (!s) continue;
    const counts = benchmarkJsonSchema.safeParse(readJsonFile(file));
    const unparseable = counts.success ? counts.data.counts?.unparseable : undefined;
    out[b.name] = { score: s.accuracy, failed: s.failed, scored: s.n - s.failed, ...(unparseable === undefined ? {} : { unparseable }) };
  }
  return out;
}

/** Iterations (≥ 1) that have samples in the store. */
export function iterationsInStore(store: PreferenceStore, max: number): number[] {
  const out: number[] = [];
  for (let k = 1; k <= max; k++) if (store.samplesOfIteration(k).length > 0) out.push(k);
  return out;
}

/** Builds the summary from the store and the run folder (nothing is kept in memory between stages). */
export function buildSummary(config: RunConfig, paths: RunPaths, store: PreferenceStore, stoppedBecause: string | null): RunSummary {
  const iterations = iterationsInStore(store, Math.max(config.maxIterations, 64)).map((k): IterationSummary => {
    const f = store.funnel(k);
    return {
      iteration: k,
      samples: f.samples,
      pairs: f.kept,
      dropped: f.dropReasons,
      trainSteps: trainSteps(paths.trainMetrics(k)),
      heldOut: readScore(join(heldOutDir(paths, k), 'synthetic.json')),
      benchmarks: benchmarkScores(paths, config, k),
    };
  });
  const control = readControl(paths);
  return {
    name: config.name,
    model: config.model ?? 'embedded default',
    task: config.source === 'synthetic' ? 'synthetic visual reasoning' : `${config.source}: ${config.data}`,
    base: { heldOut: readScore(join(heldOutDir(paths, 0), 'synthetic.json')), benchmarks: benchmarkScores(paths, config, 0) },
    iterations,
    ...(control ? { control } : {}),
    stoppedBecause,
  };
}

/** Reads the `stoppedBecause` of an earlier summary (so `smart report` keeps it). */
export function previousStopReason(paths: RunPaths): string | null {
  const v = (readJsonFile(paths.summary) as { stoppedBecause?: unknown } | null | undefined)?.stoppedBecause;
  return typeof v === 'string' ? v : null;
}

/** Rewrites summary.json atomically; NaN scores (no scored items) become null. */
export function writeSummary(paths: RunPaths, summary: RunSummary): void {
  writeFileAtomic(paths.summary, JSON.stringify(summary, (_k, v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? null : v), 2) + '\n');
}

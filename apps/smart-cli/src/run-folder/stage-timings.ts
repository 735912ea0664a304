import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseRecordText, readRegularTextSync } from '@smart/core';
import { z } from 'zod';
import type { RunPaths } from './run-paths';

/** The stages whose wall time the run records (the benchmark table of the embedded default). */
export const TIMED_STAGES = ['data', 'base-sft', 'generation', 'filtering', 'reference-logps', 'dpo', 'eval', 'control-sft'] as const;

/** One timed stage. */
export type TimedStage = (typeof TIMED_STAGES)[number];

const timingSchema = z.object({ stage: z.enum(TIMED_STAGES), iteration: z.number().int(), seconds: z.number().min(0) });

/** One line of `timings.jsonl`: a stage's wall seconds in one process (a resumed stage adds a line). */
export type StageTiming = z.infer<typeof timingSchema>;

/** `<run>/timings.jsonl`. */
export function timingsFile(paths: RunPaths): string {
  return join(paths.root, 'timings.jsonl');
}

/** Appends one stage's wall time (a torn line of a killed run is skipped when read). */
export function recordTiming(paths: RunPaths, t: StageTiming): void {
  const file = timingsFile(paths);
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ ...t, seconds: Math.round(t.seconds * 1000) / 1000 })}\n`);
}

/** Runs `fn` and records its wall time under `stage` when it took any (stages that found their work done take ~0 s). */
export async function timed<T>(paths: RunPaths, stage: TimedStage, iteration: number, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  const seconds = (performance.now() - t0) / 1000;
  if (seconds >= 0.05) recordTiming(paths, { stage, iteration, seconds });
  return out;
}

/** Every recorded timing of the run, valid lines only. */
export function readTimings(paths: RunPaths): StageTiming[] {
  const file = timingsFile(paths);
  if (!existsSync(file)) return [];
  const out: StageTiming[] = [];
  for (const r of parseRecordText(readRegularTextSync(file), file, { format: 'jsonl' })) {
    const parsed = r.ok ? timingSchema.safeParse(r.value) : null;
    if (parsed?.success) out.push(parsed.data);
  }
  return out;
}

/** Seconds per stage summed over iterations and resumed runs, with each stage's share of the total. */
export function timingTable(timings: readonly StageTiming[]): { stage: TimedStage; seconds: number; share: number }[] {
  const total = timings.reduce((s, t) => s + t.seconds, 0);
  return TIMED_STAGES.map((stage) => {
    const seconds = timings.filter((t) => t.stage === stage).reduce((s, t) => s + t.seconds, 0);
    return { stage, seconds, share: total > 0 ? seconds / total : 0 };
  }).filter((r) => r.seconds > 0);
}

import { createRng } from '@smart/core';
import { join } from 'node:path';
import type { Engine, PreferenceBatch, SftBatch } from '../engine/types';
import { ResumeStateError } from '../errors';
import { learningRateAt } from '../schedule/lr-schedule';
import { addToWindow, emptyWindow, MetricsFile, windowRow, type MetricsRow } from './metrics-log';
import { RESUME_FILE, loadResumeState, saveResumeState, type TrainerState } from './resume-state';
import { epochAt, stepMicroBatches, type RunPlan } from './run-plan';

/** File name of the metrics log inside the output folder. */
export const METRICS_FILE = 'train-metrics.jsonl';

/** What a progress callback receives: after the reference pass's batches, after each step, after a save. */
export interface TrainProgress {
  phase: 'reference' | 'train' | 'saved' | 'outputs' | 'done';
  step: number;
  totalSteps: number;
  epoch: number;
  /** The row just written to train-metrics.jsonl, on logging steps. */
  metrics?: MetricsRow;
  /** Reference phase: pairs done of `of`. */
  done?: number;
  of?: number;
}

/** The objective-specific half of the loop: turning example indices into an engine batch. */
export interface LoopTask {
  kind: 'dpo' | 'sft';
  /** Encodes and collates one micro-batch; `basis` weighs it in the step (DPO: pairs, SFT: completion tokens). */
  microBatch(indices: number[]): Promise<{ batch: PreferenceBatch | SftBatch; basis: number }>;
  /**
   * The basis of a micro-batch without encoding it (DPO: its pair count). When given, the step's micro-batches
   * are built one at a time, so a step of 128 accumulated micro-batches never holds 128 batches of pixels.
   */
  basisOf?(indices: number[]): number;
}

/** Options of runTrainingLoop. */
export interface LoopOptions {
  engine: Engine;
  plan: RunPlan;
  task: LoopTask;
  seed: number;
  loggingSteps: number;
  saveSteps: number;
  outputDir: string;
  /** Identity of config + model + data; a saved state with another fingerprint is refused. */
  fingerprint: string;
  onProgress?: (p: TrainProgress) => void;
  /** Polled after every optimizer step (the safe point): true saves the state and stops. */
  shouldStop?: () => boolean;
}

/** How a run ended: all steps done, or stopped at a safe point with the state saved. */
export interface LoopResult {
  status: 'completed' | 'stopped';
  step: number;
  /** Whether this run continued from a saved state. */
  resumed: boolean;
}

/**
 * The optimizer-step loop shared by SFT and DPO, resumable bit for bit: each step accumulates its
 * micro-batches with weights basis/Σbasis (so it equals one large batch), clips, runs AdamW at the
 * scheduled lr, logs every `loggingSteps` and saves weights, AdamW state, step, RNG, data order and
 * cursor every `saveSteps` (and when stopped), atomically.
 */
export async function runTrainingLoop(o: LoopOptions): Promise<LoopResult> {
  const { engine, plan, task } = o;
  const statePath = join(o.outputDir, RESUME_FILE);
  const rng = createRng(o.seed).stream('data-order');
  const indices = Array.from({ length: plan.examples }, (_, i) => i);
  const saved = await loadResumeState(statePath);
  let state: TrainerState;
  if (saved) {
    if (saved.state.fingerprint !== o.fingerprint || saved.state.kind !== task.kind)
      throw new ResumeStateError(statePath, 'the saved state belongs to a different config, model or data set; remove it or use another output folder');
    engine.setState(saved.engine);
    rng.setState(saved.state.rng);
    state = saved.state;
  } else {
    const order = rng.shuffle(indices);
    state = { version: 1, kind: task.kind, fingerprint: o.fingerprint, step: 0, cursor: { epoch: 0, microBatch: 0 }, order, rng: rng.getState(), metricsBytes: 0, window: emptyWindow() };
  }
  const metrics = await MetricsFile.open(join(o.outputDir, METRICS_FILE), state.metricsBytes);
  const save = async () => {
    await saveResumeState(statePath, engine.getState(), state);
    o.onProgress?.({ phase: 'saved', step: state.step, totalSteps: plan.totalSteps, epoch: epochAt(plan, state.step) });
  };

  while (state.step < plan.totalSteps) {
    const epoch = Math.floor(state.step / plan.stepsPerEpoch);
    if (epoch !== state.cursor.epoch) {
      state.order = rng.shuffle(indices);
      state.rng = rng.getState();
      state.cursor = { epoch, microBatch: 0 };
    }
    const groups = stepMicroBatches(plan, state.step, state.order);
    if (task.basisOf) {
      const total = groups.reduce((n, g) => n + task.basisOf!(g), 0);
      for (const g of groups) {
        const p = await task.microBatch(g);
        addToWindow(state.window, await engine.accumulate(p.batch, p.basis / total));
      }
    } else {
      const prepared = [];
      for (const g of groups) prepared.push(await task.microBatch(g));
      const total = prepared.reduce((n, p) => n + p.basis, 0);
      for (const p of prepared) addToWindow(state.window, await engine.accumulate(p.batch, p.basis / total));
    }
    const lr = learningRateAt(plan.schedule, state.step);
    const { gradNorm } = await engine.applyUpdate(lr);
    state.step += 1;
    state.cursor.microBatch += groups.length;
    let row: MetricsRow | undefined;
    if (state.step % o.loggingSteps === 0 || state.step === plan.totalSteps) {
      row = windowRow(state.window, { grad_norm: gradNorm, learning_rate: lr, epoch: epochAt(plan, state.step), step: state.step });
      await metrics.append(row);
      state.window = emptyWindow();
    }
    state.metricsBytes = metrics.length;
    o.onProgress?.({ phase: 'train', step: state.step, totalSteps: plan.totalSteps, epoch: epochAt(plan, state.step), ...(row ? { metrics: row } : {}) });
    const stop = o.shouldStop?.() ?? false;
    if (state.step % o.saveSteps === 0 || state.step === plan.totalSteps || stop) await save();
    if (stop && state.step < plan.totalSteps) return { status: 'stopped', step: state.step, resumed: saved !== undefined };
  }
  return { status: 'completed', step: state.step, resumed: saved !== undefined };
}

import type { PromptEncoder } from '@smart/types';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { collatePairs } from '../collate/collate-batch';
import { encodePair } from '../collate/encode-examples';
import type { PreferenceExample, ReferenceLogProbs } from '../collate/examples';
import type { TruncationLimits } from '../collate/truncate-rows';
import type { DpoConfig } from '../config/dpo-config';
import { createEngine } from '../engine/onnx-engine';
import type { EngineOptions } from '../engine/types';
import { writeTrainedModel, type TrainedModelFolders } from '../outputs/write-trained-model';
import { engineOptionsFor, loadStartModel, loraOf, type EngineFactory } from './model-source';
import { computeReferenceLogProbs, jsonFileReferenceStore, type ReferenceLogProbStore } from './reference-log-probs';
import { epochAt, planRun, type RunPlan } from './run-plan';
import { runFingerprint } from './run-fingerprint';
import { METRICS_FILE, runTrainingLoop, type LoopResult, type TrainProgress } from './training-loop';

/** Options shared by trainDpo and trainSft. */
export interface TrainRunOptions {
  /** HF checkpoint folder of the start model (also the frozen DPO reference). */
  modelDir: string;
  /** The PromptEncoder generation used, so training rows are token-for-token the generated ones. */
  encoder: PromptEncoder;
  /** Run folder: resume state, train-metrics.jsonl, checkpoint/, adapter/, model/. */
  outputDir: string;
  /** The engine behind the loop; default the ORT engine of this package (`createEngine`). */
  createEngine?: EngineFactory;
  onProgress?: (p: TrainProgress) => void;
  /** Aborting stops at the next safe point (after an optimizer step) with the state saved. */
  signal?: AbortSignal;
  /** Polled at safe points as well (the worker's shared stop flag). */
  shouldStop?: () => boolean;
  /** LoRA: also write merged weights as an HF checkpoint. */
  mergeLora?: boolean;
  /** Write the transformers.js folder for the next iteration (default true). */
  inferenceFolder?: boolean;
  /** Engine internals for tests and benchmarks (float64 oracle runs, a fixed artifacts folder). */
  engine?: Pick<EngineOptions, 'dtype' | 'artifactsDir'>;
}

/** Options of trainDpo. */
export interface DpoTrainOptions extends TrainRunOptions {
  config: DpoConfig;
  examples: readonly PreferenceExample[];
  /** Where reference log-probs persist (the CLI: the preference store); default `<outputDir>/reference-logps.json`. */
  references?: ReferenceLogProbStore;
}

/** What a run produced. */
export interface TrainResult extends LoopResult {
  totalSteps: number;
  metricsFile: string;
  /** Written when the run completed. */
  folders?: TrainedModelFolders;
}

/** Truncation limits of a config for a model. */
export function limitsOf(config: { max_length: number | null; truncation_mode: TruncationLimits['mode']; max_prompt_length?: number | null }, imageTokenId: number): TruncationLimits {
  return { maxLength: config.max_length, maxPromptLength: config.max_prompt_length ?? null, mode: config.truncation_mode, imageTokenId };
}

/**
 * DPO (TRL DPOTrainer semantics) from an HF checkpoint: reference log-probs of the frozen start model once
 * (stored through `references`), then the resumable step loop, then the output folders.
 */
export async function trainDpo(o: DpoTrainOptions): Promise<TrainResult> {
  const { config, examples } = o;
  await mkdir(o.outputDir, { recursive: true });
  const model = await loadStartModel(o.modelDir);
  const images = examples.some((e) => e.image) ? 'pixels' : 'none';
  const objective = { kind: 'dpo' as const, lossType: config.loss_type, beta: config.beta, labelSmoothing: config.label_smoothing, ...(config.rpo_alpha !== null ? { rpoAlpha: config.rpo_alpha } : {}) };
  const engine = await (o.createEngine ?? createEngine)(engineOptionsFor(config, model, objective, images, o.engine));
  const plan = planRun(config, examples.length);
  const limits = limitsOf(config, model.config.image_token_index);
  const pad = model.padTokenId;
  const encode = (i: number) => encodePair(o.encoder, examples[i]!, limits);
  try {
    const refs = new Map<string, ReferenceLogProbs>();
    if (config.precompute_ref_log_probs) {
      const store = o.references ?? jsonFileReferenceStore(join(o.outputDir, 'reference-logps.json'));
      const missing: number[] = [];
      for (let i = 0; i < examples.length; i++) {
        const e = examples[i]!;
        const known = e.reference ?? (await store.get(e.id));
        if (known) refs.set(e.id, known);
        else missing.push(i);
      }
      for (let k = 0; k < missing.length; k += plan.batchSize) {
        const pairs = await Promise.all(missing.slice(k, k + plan.batchSize).map(encode));
        const computed = await computeReferenceLogProbs(engine, pairs, plan.batchSize, pad);
        await store.setMany(computed);
        for (const [id, r] of computed) refs.set(id, r);
        o.onProgress?.({ phase: 'reference', step: 0, totalSteps: plan.totalSteps, epoch: 0, done: k + pairs.length, of: missing.length });
      }
    }
    const stopped = () => (o.signal?.aborted ?? false) || (o.shouldStop?.() ?? false);
    const result = await runTrainingLoop({
      engine,
      plan,
      seed: config.seed,
      loggingSteps: config.logging_steps,
      saveSteps: config.save_steps,
      outputDir: o.outputDir,
      fingerprint: runFingerprint({ kind: 'dpo', config }, model.weights, examples),
      shouldStop: stopped,
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      task: {
        kind: 'dpo',
        basisOf: (indices) => indices.length,
        async microBatch(indices) {
          const pairs = await Promise.all(indices.map(encode));
          const batch = collatePairs(pairs, config.precompute_ref_log_probs ? pairs.map((p) => refs.get(p.id)!) : null, pad);
          if (!config.precompute_ref_log_probs) batch.refLogProbs = (await engine.sequenceLogProbs(batch, { reference: true })).logps;
          return { batch, basis: pairs.length };
        },
      },
    });
    return await finish(o, result, plan, async () => {
      const lora = loraOf(config);
      return writeTrainedModel({
        outputDir: o.outputDir,
        config: model.config,
        base: model.weights,
        trained: engine.trainableTensors(),
        files: model.files,
        ...(lora ? { lora } : {}),
        ...(o.mergeLora !== undefined ? { mergeLora: o.mergeLora } : {}),
        ...(o.inferenceFolder !== undefined ? { inferenceFolder: o.inferenceFolder } : {}),
        baseModel: o.modelDir,
      });
    });
  } finally {
    await engine.close();
  }
}

/** Writes the outputs of a completed run and reports progress. */
export async function finish(o: TrainRunOptions, result: LoopResult, plan: RunPlan, write: () => Promise<TrainedModelFolders>): Promise<TrainResult> {
  const { totalSteps } = plan;
  const epoch = epochAt(plan, result.step);
  const base = { ...result, totalSteps, metricsFile: join(o.outputDir, METRICS_FILE) };
  if (result.status !== 'completed') return base;
  o.onProgress?.({ phase: 'outputs', step: result.step, totalSteps, epoch });
  const folders = await write();
  o.onProgress?.({ phase: 'done', step: result.step, totalSteps, epoch });
  return { ...base, folders };
}

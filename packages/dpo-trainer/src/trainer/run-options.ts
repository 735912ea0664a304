import type { CheckpointDType } from '@smart/models';
import type { PromptEncoder } from '@smart/types';
import { join } from 'node:path';
import type { TruncationLimits } from '../collate/truncate-rows';
import type { Engine, EngineOptions } from '../engine/types';
import { writeTrainedModel, type TrainedModelFolders } from '../outputs/write-trained-model';
import type { SftConfig } from '../config/sft-config';
import type { DpoConfig } from '../config/dpo-config';
import { loraOf, type EngineFactory, type StartModel } from './model-source';
import { epochAt, type RunPlan } from './run-plan';
import { METRICS_FILE, type LoopResult, type TrainProgress } from './training-loop';

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
  /** Element type of the HF checkpoint written at the end (default float32; see writeTrainedModel). */
  checkpointDtype?: CheckpointDType;
  /** Engine internals for tests and benchmarks (float64 oracle runs, a fixed artifacts folder). */
  engine?: Pick<EngineOptions, 'dtype' | 'artifactsDir'>;
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

/** Whether the run was asked to stop (abort signal or the worker's flag). */
export function stopRequested(o: TrainRunOptions): boolean {
  return (o.signal?.aborted ?? false) || (o.shouldStop?.() ?? false);
}

/** After the loop: a completed run writes its folders (HF / PEFT / transformers.js); a stopped one returns as is. */
export async function finishRun(
  o: TrainRunOptions,
  result: LoopResult,
  plan: RunPlan,
  run: { config: SftConfig | DpoConfig; model: StartModel; engine: Engine },
): Promise<TrainResult> {
  const { totalSteps } = plan;
  const epoch = epochAt(plan, result.step);
  const base = { ...result, totalSteps, metricsFile: join(o.outputDir, METRICS_FILE) };
  if (result.status !== 'completed') return base;
  o.onProgress?.({ phase: 'outputs', step: result.step, totalSteps, epoch });
  const lora = loraOf(run.config);
  const folders = await writeTrainedModel({
    outputDir: o.outputDir,
    config: run.model.config,
    base: run.model.weights,
    trained: run.engine.trainableTensors(),
    files: run.model.files,
    ...(lora ? { lora } : {}),
    ...(o.mergeLora !== undefined ? { mergeLora: o.mergeLora } : {}),
    ...(o.inferenceFolder !== undefined ? { inferenceFolder: o.inferenceFolder } : {}),
    ...(o.checkpointDtype ? { checkpointDtype: o.checkpointDtype } : {}),
    baseModel: o.modelDir,
  });
  o.onProgress?.({ phase: 'done', step: result.step, totalSteps, epoch });
  return { ...base, folders };
}

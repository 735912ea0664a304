import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '@smart/core';
import { parseDpoConfig, trainDpo, type DpoConfig, type PreferenceExample, type ReferenceLogProbStore, type TrainProgress } from '@smart/dpo-trainer';
import { createPromptEncoder } from '@smart/mllm';
import type { PreferenceStore } from '@smart/preference-store';
import { trainablePartsOf, type RunConfig, trainerRuntimeOf } from '../config/run-config';
import { ConfigError, InterruptedError, StageFailedError } from '../errors/errors';
import { Progress } from '../progress/progress';
import type { RunPaths } from '../run-folder/run-paths';
import { recordTiming } from '../run-folder/stage-timings';
import { startCheckpoint } from './external-train';
import { modelForIteration } from './model-for-iteration';
import type { StageIo } from './stage-context';
import { checkpointDtypeOption } from './checkpoint-dtype';

/** The file that marks iteration k's training as complete (written last, atomically). */
export function trainDoneFile(paths: RunPaths, k: number): string {
  return join(paths.iter(k), 'train-done.json');
}

/** The run config's optimization fields as a TRL-named DPO config on the paper preset. */
export function dpoConfigOf(config: RunConfig): DpoConfig {
  return parseDpoConfig(
    {
      loss_type: config.lossType,
      beta: config.beta,
      ...(config.rpoAlpha > 0 ? { rpo_alpha: config.rpoAlpha } : {}),
      loss_span: config.lossSpan,
      learning_rate: config.learningRate,
      lr_scheduler_type: config.lrScheduler,
      warmup_ratio: config.warmupRatio,
      weight_decay: config.weightDecay,
      per_device_train_batch_size: config.microBatchSize,
      gradient_accumulation_steps: Math.max(1, Math.round(config.batchSize / config.microBatchSize)),
      num_train_epochs: config.epochs,
      max_length: config.cutoffLen,
      max_prompt_length: Math.min(2048, Math.floor(config.cutoffLen / 2)),
      seed: config.seed,
      logging_steps: 1,
      save_steps: 10,
      trainable_parts: trainablePartsOf(config.trainParts),
      ...trainerRuntimeOf(config),
    },
    { preset: 'paper' },
  );
}

/** One line naming how a run trains on its pairs: the loss, what it scores, the optimizer (the report's header). */
export function preferenceTrainingLine(config: RunConfig): string {
  const lr = config.learningRate < 1e-3 ? config.learningRate.toExponential() : String(config.learningRate);
  const optimizer = `lr ${lr} ${config.lrScheduler}, batch ${config.batchSize}, ${config.epochs} epoch${config.epochs === 1 ? '' : 's'}`;
  const rpo = config.rpoAlpha > 0 ? ` + RPO α ${config.rpoAlpha} (NLL of the chosen rationale)` : '';
  if (config.trainer === 'external') return `external trainer (LLaMA-Factory recipe): ${config.lossType} DPO β ${config.beta}${rpo}, whole rationales, ${optimizer}`;
  const span = config.lossSpan === 'completion' ? 'whole rationales' : 'each pair scored on its first differing step';
  return `local trainer: ${config.lossType} DPO β ${config.beta}${rpo}, ${span}, ${optimizer}, parts: ${config.trainParts}`;
}

/** Reference log-probs kept with the pairs in the run store (computed once per iteration, reused on resume). */
export function storeReferences(store: PreferenceStore, iteration: number): ReferenceLogProbStore {
  return {
    async get(id) {
      const p = store.listPairs({ iteration, kept: true }).find((x) => x.sampleId === id);
      return p && p.refLogpChosen !== null && p.refLogpRejected !== null ? { chosen: p.refLogpChosen, rejected: p.refLogpRejected } : undefined;
    },
    async setMany(values) {
      store.transaction(() => {
        for (const [id, r] of values) store.setReferenceLogps(id, iteration, r.chosen, r.rejected);
      });
    },
  };
}

/** The kept pairs of iteration k as trainer examples: the original question, the clean image, chosen/rejected. */
export function examplesOf(store: PreferenceStore, iteration: number): PreferenceExample[] {
  return store.listPairs({ iteration, kept: true }).map((p) => {
    const rec = p.imageSha256 ? store.getImageRecord(p.imageSha256) : undefined;
    return {
      id: p.sampleId,
      prompt: p.prompt,
      ...(rec ? { image: { kind: 'path' as const, path: store.images.pathOf(rec.file) } } : {}),
      chosen: p.chosen,
      rejected: p.rejected,
      ...(p.refLogpChosen !== null && p.refLogpRejected !== null ? { reference: { chosen: p.refLogpChosen, rejected: p.refLogpRejected } } : {}),
    };
  });
}

/**
 * Local DPO for iteration k (@smart/dpo-trainer on onnxruntime): reference log-probs of the start model
 * (stored with the pairs), the resumable step loop, then `iter-k/checkpoint/`, `iter-k/model/` and
 * `iter-k/train-metrics.jsonl`. Ctrl-C stops after the current optimizer step with the state saved.
 */
export async function localTrain(o: { config: RunConfig; paths: RunPaths; store: PreferenceStore; iteration: number; io: StageIo }): Promise<{ trained: boolean; steps: number }> {
  const { config, paths, iteration: k } = o;
  if (existsSync(trainDoneFile(paths, k))) return { trained: false, steps: 0 };
  const examples = examplesOf(o.store, k);
  if (examples.length === 0) throw new StageFailedError('train', `iteration ${k} has no kept pairs to train on`);
  const modelDir = startCheckpoint(config, paths, k);
  // The encoder of the folder that generated the pairs, so training sees exactly the generated tokens.
  const start = modelForIteration(config, paths, k - 1);
  const encoderFolder = config.backend === 'local' ? start.model : existsSync(join(paths.model(k - 1), 'config.json')) ? paths.model(k - 1) : undefined;
  if (!encoderFolder) throw new ConfigError(`local training needs iteration ${k - 1}'s transformers.js folder (for its prompt encoder); with --backend openai, import it with \`smart import-checkpoint --iteration ${k - 1}\``, 'model');
  const encoder = await createPromptEncoder(encoderFolder);
  const dpo = dpoConfigOf(config);
  mkdirSync(paths.iter(k), { recursive: true });
  const progress = new Progress({ sink: o.io.progress, label: `iteration ${k} train`, total: 1 });
  let refProgress: Progress | undefined;
  // Wall time splits at the first optimizer step: reference log-probs before it, DPO steps after.
  const t0 = performance.now();
  let trainStart: number | undefined;
  const onProgress = (p: TrainProgress): void => {
    if (p.phase === 'train') trainStart ??= performance.now();
    if (p.phase === 'reference') {
      refProgress ??= new Progress({ sink: o.io.progress, label: `iteration ${k} reference log-probs`, total: p.of ?? 0 });
      refProgress.update(p.done ?? 0);
      return;
    }
    progress.setTotal(p.totalSteps);
    const m = p.metrics;
    progress.update(p.step, m ? { loss: m['loss'] ?? NaN, lr: m['learning_rate'] ?? NaN, 'rewards/margins': m['rewards/margins'] ?? NaN } : {});
  };
  o.io.log(`iteration ${k}: DPO on ${examples.length} pairs from ${modelDir}`);
  const result = await trainDpo({
    config: dpo,
    examples,
    encoder,
    modelDir,
    outputDir: paths.iter(k),
    references: storeReferences(o.store, k),
    ...checkpointDtypeOption(config),
    onProgress,
    signal: o.io.interrupt.signal,
  });
  refProgress?.finish();
  progress.finish();
  const end = performance.now();
  const split = trainStart ?? end;
  if (split > t0) recordTiming(paths, { stage: 'reference-logps', iteration: k, seconds: (split - t0) / 1000 });
  if (end > split) recordTiming(paths, { stage: 'dpo', iteration: k, seconds: (end - split) / 1000 });
  if (result.status === 'stopped') throw new InterruptedError('train');
  writeFileAtomicSync(trainDoneFile(paths, k), `${JSON.stringify({ steps: result.totalSteps, checkpoint: result.folders?.checkpointDir ?? null, model: result.folders?.modelDir ?? null })}\n`);
  return { trained: true, steps: result.totalSteps };
}

import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { aotPositivePrompt } from '@smart/aot-prompts';
import { writeFileAtomicSync } from '@smart/core';
import { collectSamples, readRationales } from '@smart/datasets';
import { parseSftConfig, trainSft, type SftExample, type TrainProgress } from '@smart/dpo-trainer';
import { syntheticPrompt } from '@smart/evaluators';
import { createPromptEncoder } from '@smart/mllm';
import { createTinyModel, trainByteLevelBpe } from '@smart/models';
import { trainablePartsOf, type RunConfig, trainerRuntimeOf } from '../config/run-config';
import { InterruptedError } from '../errors/errors';
import { Progress } from '../progress/progress';
import type { RunPaths } from '../run-folder/run-paths';
import { recordTiming } from '../run-folder/stage-timings';
import type { RunData } from './prepare-data';
import type { StageIo } from './stage-context';
import { checkpointDtypeOption } from './checkpoint-dtype';

/** Marks the embedded default's base as built (written last). */
export function baseDoneFile(paths: RunPaths): string {
  return join(paths.iter(0), 'base-done.json');
}

/** Ids of the training items the embedded default's base is SFT'd on: the first `baseItems` of the pool, all when 0. */
export async function baseSampleIds(data: RunData, baseItems: number): Promise<string[]> {
  const { samples } = await collectSamples(data.trainSource());
  const ids = samples.map((s) => s.id);
  return baseItems > 0 ? ids.slice(0, baseItems) : ids;
}

/**
 * SFT rows from the synthetic task's training items (those in `only`, or all) and their template
 * rationales: told the answer in an AoT prompt, the model justifies it (as the paper's instruction-tuned
 * bases do); asked the plain question, it reasons to a letter. The held-out split is never used.
 */
export async function templateSftExamples(data: RunData, only?: ReadonlySet<string>): Promise<SftExample[]> {
  const { samples: all } = await collectSamples(data.trainSource());
  const samples = only ? all.filter((s) => only.has(s.id)) : all;
  const rationales = await readRationales(data.trainFile.replace(/\.jsonl$/, '.rationales.jsonl'));
  const root = data.imageRoot!;
  return samples.flatMap((s): SftExample[] => {
    const r = rationales.get(s.id);
    if (!r) return [];
    const image = { kind: 'path' as const, path: join(root, s.image.path) };
    return [
      { id: `${s.id}:aot`, prompt: aotPositivePrompt(s), image, completion: r.rationale },
      { id: `${s.id}:question`, prompt: syntheticPrompt(s), image, completion: r.rationale },
    ];
  });
}

/**
 * Builds the embedded default's base model into `iter-0/`: a tiny LLaVA (`basePreset`) with a BPE
 * tokenizer learned on the task's text, then `baseSteps` of SFT (@smart/dpo-trainer, resumable) on
 * `templateSftExamples` of its first `baseItems` training items. A finished base is reused by every later run of the folder.
 */
export async function buildBase(o: { config: RunConfig; paths: RunPaths; data: RunData; io: StageIo }): Promise<void> {
  const { config, paths } = o;
  if (existsSync(baseDoneFile(paths))) return;
  const examples = await templateSftExamples(o.data, new Set(await baseSampleIds(o.data, config.baseItems)));
  const init = join(paths.iter(0), 'base-init');
  if (!existsSync(join(init, 'model', 'config.json'))) {
    o.io.log(`building the embedded default base: ${config.basePreset} LLaVA, BPE with ${config.baseMerges} merges on the task text`);
    const merges = trainByteLevelBpe(
      examples.flatMap((e) => [e.prompt, e.completion]),
      { merges: config.baseMerges },
    );
    const tmp = `${init}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    await createTinyModel({ dir: tmp, preset: config.basePreset, seed: config.seed, merges });
    mkdirSync(paths.iter(0), { recursive: true });
    rmSync(init, { recursive: true, force: true });
    renameSync(tmp, init);
  }
  const sft = parseSftConfig({
    learning_rate: config.baseLearningRate,
    lr_scheduler_type: 'cosine',
    warmup_ratio: 0.05,
    per_device_train_batch_size: config.baseBatchSize,
    max_steps: config.baseSteps,
    max_length: Math.min(config.cutoffLen, 1024),
    seed: config.seed,
    logging_steps: Math.max(1, Math.floor(config.baseSteps / 50)),
    save_steps: 25,
    // The base starts from random weights: its vision tower and projector must learn too.
    trainable_parts: trainablePartsOf('all'),
    ...trainerRuntimeOf(config),
  });
  const encoder = await createPromptEncoder(join(init, 'model'));
  const progress = new Progress({ sink: o.io.progress, label: 'base SFT', total: config.baseSteps });
  o.io.log(`base SFT: ${config.baseSteps} steps of ${config.baseBatchSize} over ${examples.length} rows (resumable)`);
  const t0 = performance.now();
  let firstStep: { step: number; at: number } | undefined;
  const result = await trainSft({
    config: sft,
    examples,
    encoder,
    modelDir: join(init, 'checkpoint'),
    outputDir: paths.iter(0),
    signal: o.io.interrupt.signal,
    ...checkpointDtypeOption(config),
    onProgress: (p: TrainProgress) => {
      if (p.phase !== 'train') return;
      firstStep ??= { step: p.step, at: performance.now() };
      progress.update(p.step, p.metrics ? { loss: p.metrics['loss'] ?? NaN, lr: p.metrics['learning_rate'] ?? NaN } : {});
    },
  });
  progress.finish();
  const seconds = (performance.now() - t0) / 1000;
  recordTiming(paths, { stage: 'base-sft', iteration: 0, seconds });
  if (result.status === 'stopped') throw new InterruptedError('base SFT');
  // Seconds per optimizer step, measured after the first step (session start-up excluded): the control's step budget.
  const measured = firstStep && result.totalSteps > firstStep.step ? (performance.now() - firstStep.at) / 1000 / (result.totalSteps - firstStep.step) : seconds / result.totalSteps;
  writeFileAtomicSync(baseDoneFile(paths), `${JSON.stringify({ steps: result.totalSteps, examples: examples.length, secondsPerStep: measured })}\n`);
}

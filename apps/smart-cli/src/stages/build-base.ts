import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { aotPositivePrompt, aotPrompt, drawWrongOption } from '@smart/aot-prompts';
import { createRng, writeFileAtomicSync } from '@smart/core';
import { collectSamples, readRationales, type SyntheticRationaleRecord } from '@smart/datasets';
import { parseSftConfig, trainSft, type SftExample, type TrainProgress } from '@smart/dpo-trainer';
import { syntheticPrompt } from '@smart/evaluators';
import { createPromptEncoder } from '@smart/mllm';
import type { PromptEncoder, Sample } from '@smart/types';
import { createTinyModel, trainByteLevelBpe } from '@smart/models';
import { trainablePartsOf, type RunConfig, trainerRuntimeOf } from '../config/run-config';
import { InterruptedError, MissingInputError } from '../errors/errors';
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

/** The synthetic task's training items (those in `only`, or all) with their rationale sidecar, read once for several row mixes. */
interface TemplateItems {
  samples: Sample[];
  rationales: Map<string, SyntheticRationaleRecord>;
  sidecar: string;
  imageRoot: string;
}

/** Reads the training items in `only` (or all) and their sidecar of template rationales. The held-out split is never read. */
async function readTemplateItems(data: RunData, only?: ReadonlySet<string>): Promise<TemplateItems> {
  const { samples: all } = await collectSamples(data.trainSource());
  const sidecar = data.trainRationales;
  if (!sidecar) throw new MissingInputError(data.trainFile, 'template rationales of the synthetic task (a run whose source is not synthetic has none)');
  return { samples: only ? all.filter((s) => only.has(s.id)) : all, rationales: await readRationales(sidecar), sidecar, imageRoot: data.imageRoot! };
}

/**
 * SFT rows from template items: told the answer in an AoT prompt, the model justifies it (as the paper's
 * instruction-tuned bases do); asked the plain question, it reasons to a letter. With `toldWrong` (a share p and a
 * seed), the AoT row of each item is, with probability p (drawn per item from the seed), told a wrong option
 * instead, with the template rationale concluding that option: the model learns to follow the answer it is told,
 * not only the image.
 */
function templateSftRows(items: TemplateItems, options: { toldWrong?: { share: number; seed: number } } = {}): SftExample[] {
  const { share = 0, seed = 0 } = options.toldWrong ?? {};
  const rng = createRng(seed);
  return items.samples.flatMap((s): SftExample[] => {
    const r = items.rationales.get(s.id);
    if (!r) return [];
    const image = { kind: 'path' as const, path: join(items.imageRoot, s.image.path) };
    const question: SftExample = { id: `${s.id}:question`, prompt: syntheticPrompt(s), image, completion: r.rationale };
    const draw = rng.stream(`base/told-wrong/${s.id}`);
    if (share === 0 || draw.next() >= share) return [{ id: `${s.id}:aot`, prompt: aotPositivePrompt(s), image, completion: r.rationale }, question];
    const wrong = drawWrongOption(s, draw);
    const told = r.told?.[wrong];
    if (told === undefined) throw new MissingInputError(items.sidecar, `the told rationales of ${s.id} (a sidecar written before they existed: regenerate the task)`);
    return [{ id: `${s.id}:aot-told-${wrong}`, prompt: aotPrompt(s, wrong), image, completion: told }, question];
  });
}

/** `templateSftRows` of the training items in `only` (or all), read from the run's data. */
export async function templateSftExamples(data: RunData, only?: ReadonlySet<string>, options: { toldWrong?: { share: number; seed: number } } = {}): Promise<SftExample[]> {
  return templateSftRows(await readTemplateItems(data, only), options);
}

/** The `templateSftExamples` options of the base's follow stage (`--base-told-wrong`). */
function baseMixOptions(config: Pick<RunConfig, 'baseToldWrong' | 'seed'>): { toldWrong?: { share: number; seed: number } } {
  return config.baseToldWrong > 0 ? { toldWrong: { share: config.baseToldWrong, seed: config.seed } } : {};
}

/**
 * Builds the embedded default's base model into `iter-0/`: a tiny LLaVA (`basePreset`) with a BPE
 * tokenizer learned on the task's text, then `baseSteps` of SFT (@smart/dpo-trainer, resumable) on
 * `templateSftExamples` of its first `baseItems` training items, then (`baseFollowSteps` > 0) a follow stage on
 * the same items with a share of the AoT rows told a wrong option, continuing the first stage's checkpoint
 * (`iter-0/task-sft/`) into `iter-0/`. A finished base is reused by every later run of the folder.
 */
export async function buildBase(o: { config: RunConfig; paths: RunPaths; data: RunData; io: StageIo }): Promise<void> {
  const { config, paths } = o;
  if (existsSync(baseDoneFile(paths))) return;
  const items = await readTemplateItems(o.data, new Set(await baseSampleIds(o.data, config.baseItems)));
  const examples = templateSftRows(items);
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
  const encoder = await createPromptEncoder(join(init, 'model'));
  const stage = (label: string, rows: SftExample[], steps: number, learningRate: number, modelDir: string, outputDir: string) =>
    sftStage({ config, paths, io: o.io, label, examples: rows, encoder, steps, learningRate, modelDir, outputDir });
  const follow = config.baseFollowSteps > 0;
  // Without a follow stage the task SFT writes the base into iter-0/ itself (as run folders made before it did).
  const taskDir = follow ? paths.baseTaskSft : paths.iter(0);
  const task = await stage('base SFT', examples, config.baseSteps, config.baseLearningRate, join(init, 'checkpoint'), taskDir);
  if (follow) {
    const rows = templateSftRows(items, baseMixOptions(config));
    await stage('base follow SFT', rows, config.baseFollowSteps, config.baseFollowLearningRate, join(taskDir, 'checkpoint'), paths.iter(0));
  }
  const { totalSteps, secondsPerStep } = task;
  writeFileAtomicSync(baseDoneFile(paths), `${JSON.stringify({ steps: totalSteps, examples: examples.length, secondsPerStep, ...(follow ? { followSteps: config.baseFollowSteps } : {}) })}\n`);
}

// One resumable SFT stage of the base: `steps` cosine steps from `modelDir` into `outputDir`, timed as base SFT.
async function sftStage(o: {
  config: RunConfig;
  paths: RunPaths;
  io: StageIo;
  label: string;
  examples: SftExample[];
  encoder: PromptEncoder;
  steps: number;
  learningRate: number;
  modelDir: string;
  outputDir: string;
}): Promise<{ totalSteps: number; secondsPerStep: number }> {
  const { config, paths } = o;
  const sft = parseSftConfig({
    learning_rate: o.learningRate,
    lr_scheduler_type: 'cosine',
    warmup_ratio: 0.05,
    per_device_train_batch_size: config.baseBatchSize,
    max_steps: o.steps,
    max_length: Math.min(config.cutoffLen, 1024),
    seed: config.seed,
    logging_steps: Math.max(1, Math.floor(o.steps / 50)),
    save_steps: 25,
    // The base starts from random weights: its vision tower and projector must learn too.
    trainable_parts: trainablePartsOf('all'),
    ...trainerRuntimeOf(config),
  });
  const progress = new Progress({ sink: o.io.progress, label: o.label, total: o.steps });
  o.io.log(`${o.label}: ${o.steps} steps of ${config.baseBatchSize} over ${o.examples.length} rows (resumable)`);
  const t0 = performance.now();
  let firstStep: { step: number; at: number } | undefined;
  const result = await trainSft({
    config: sft,
    examples: o.examples,
    encoder: o.encoder,
    modelDir: o.modelDir,
    outputDir: o.outputDir,
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
  if (result.status === 'stopped') throw new InterruptedError(o.label);
  // Seconds per optimizer step, measured after the first step (session start-up excluded): the control's step budget.
  const secondsPerStep = firstStep && result.totalSteps > firstStep.step ? (performance.now() - firstStep.at) / 1000 / (result.totalSteps - firstStep.step) : seconds / result.totalSteps;
  return { totalSteps: result.totalSteps, secondsPerStep };
}

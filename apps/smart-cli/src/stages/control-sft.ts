import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '@smart/core';
import { parseSftConfig, trainSft, type SftExample, type TrainProgress } from '@smart/dpo-trainer';
import { createPromptEncoder } from '@smart/mllm';
import type { PreferenceStore } from '@smart/preference-store';
import type { Generator, PromptEncoder } from '@smart/types';
import { z } from 'zod';
import type { BackendSettings } from '../backends/make-generator';
import { trainablePartsOf, type RunConfig, trainerRuntimeOf } from '../config/run-config';
import { InterruptedError } from '../errors/errors';
import { Progress } from '../progress/progress';
import type { RunPaths } from '../run-folder/run-paths';
import { readTimings, timed } from '../run-folder/stage-timings';
import { templateSftExamples } from './build-base';
import { runBenchmark } from './eval/run-benchmark';
import { modelForIteration } from './model-for-iteration';
import type { RunData } from './prepare-data';
import type { StageIo } from './stage-context';
import { checkpointDtypeOption } from './checkpoint-dtype';

/** Where the control run lives: `<run>/control/` (checkpoint, model, train-metrics.jsonl, eval/held-out/). */
export function controlDir(paths: RunPaths): string {
  return join(paths.root, 'control');
}

const controlPlanSchema = z.object({ steps: z.number().int().positive(), budgetSeconds: z.number().positive(), secondsPerStep: z.number().positive() });
const controlDoneSchema = controlPlanSchema.extend({ samples: z.number() });
/** Optimizer steps of the calibration run that measures the control's seconds per step (the first one, start-up included, is not timed). */
const CALIBRATION_STEPS = 6;

/** What the control did: its step count, the SMART wall time it matches, the seconds per step measured when it ran, and how many samples it trained on. */
export type ControlDone = z.infer<typeof controlDoneSchema>;

/** The finished control's record, or null. */
export function readControlDone(paths: RunPaths): ControlDone | null {
  const file = join(controlDir(paths), 'control-done.json');
  if (!existsSync(file)) return null;
  const parsed = controlDoneSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data : null;
}

/** Wall seconds SMART spent improving the base (generation, filtering, reference log-probs, DPO), evaluation excluded. */
export function smartImproveSeconds(paths: RunPaths): number {
  return readTimings(paths)
    .filter((t) => t.iteration >= 1 && (t.stage === 'generation' || t.stage === 'filtering' || t.stage === 'reference-logps' || t.stage === 'dpo'))
    .reduce((s, t) => s + t.seconds, 0);
}

/**
 * The control that makes SMART's lift mean something (embedded default): continued SFT of the base on
 * the template rationales of the very samples SMART drew, in the base's row mix, for as many steps as
 * fit in SMART's wall time at the seconds per step measured right before it (a short calibration run on
 * the same rows, so the machine's load then is the load the budget is spent under); then the held-out
 * score. A step count fixed in `control-plan.json` (not a timer) keeps the control reproducible and resumable.
 */
export async function controlSft(o: {
  config: RunConfig;
  paths: RunPaths;
  store: PreferenceStore;
  data: RunData;
  iterations: number;
  generatorFor: (settings: BackendSettings, k: number) => Generator;
  io: StageIo;
}): Promise<ControlDone | null> {
  const { config, paths } = o;
  const dir = controlDir(paths);
  const doneFile = join(dir, 'control-done.json');
  let done = readControlDone(paths);
  if (!done) {
    const budgetSeconds = smartImproveSeconds(paths);
    if (budgetSeconds <= 0) {
      o.io.log('control: skipped (needs the timings of SMART\'s iterations)');
      return null;
    }
    const ids = new Set<string>();
    for (let k = 1; k <= o.iterations; k++) for (const id of o.store.samplesOfIteration(k)) ids.add(id);
    const examples = await templateSftExamples(o.data, ids);
    const encoder = await createPromptEncoder(paths.model(0));
    const plan = await controlPlan({ ...o, dir, examples, encoder, budgetSeconds });
    const { steps, secondsPerStep } = plan;
    o.io.log(`control: continued SFT of the base for ${steps} steps (${budgetSeconds.toFixed(0)} s of SMART at ${secondsPerStep.toFixed(3)} s/step, measured now) on ${ids.size} samples' template rationales`);
    const progress = new Progress({ sink: o.io.progress, label: 'control SFT', total: steps });
    const result = await timed(paths, 'control-sft', 0, () =>
      trainSft({
        config: controlSftConfig(config, steps),
        examples,
        encoder,
        modelDir: paths.checkpoint(0),
        outputDir: dir,
        signal: o.io.interrupt.signal,
        ...checkpointDtypeOption(config),
        onProgress: (p: TrainProgress) => {
          if (p.phase === 'train') progress.update(p.step, p.metrics ? { loss: p.metrics['loss'] ?? NaN } : {});
        },
      }),
    );
    progress.finish();
    if (result.status === 'stopped') throw new InterruptedError('control SFT');
    done = { ...plan, steps: result.totalSteps, samples: ids.size };
    writeFileAtomicSync(doneFile, `${JSON.stringify(done)}\n`);
  }
  const settings = { ...modelForIteration(config, paths, 0), model: join(dir, 'model') };
  const generator = o.generatorFor(settings, o.iterations);
  try {
    await timed(paths, 'eval', -1, () =>
      runBenchmark({
        spec: {
          benchmark: 'synthetic',
          data: o.data.heldOutFile!,
          ...(o.data.imageRoot ? { imageRoot: o.data.imageRoot } : {}),
          ...(config.heldOutLimit ? { limit: config.heldOutLimit } : {}),
          maxNewTokens: config.evalMaxNewTokens,
        },
        generator,
        outDir: join(dir, 'eval', 'held-out'),
        batchSize: config.generationBatch,
        io: o.io,
      }),
    );
  } finally {
    await generator.close();
  }
  return done;
}

function controlSftConfig(config: RunConfig, steps: number) {
  return parseSftConfig({
    learning_rate: config.baseLearningRate,
    lr_scheduler_type: 'cosine',
    warmup_ratio: 0.05,
    per_device_train_batch_size: config.baseBatchSize,
    max_steps: steps,
    max_length: Math.min(config.cutoffLen, 1024),
    seed: config.seed + 1,
    logging_steps: Math.max(1, Math.floor(steps / 50)),
    save_steps: 25,
    trainable_parts: trainablePartsOf('all'),
    ...trainerRuntimeOf(config),
  });
}

/**
 * The control's step count: SMART's seconds over the seconds per step of a calibration run (the control's
 * own settings and rows, CALIBRATION_STEPS steps, thrown away), written once to `control-plan.json` so a
 * resumed control keeps it.
 */
async function controlPlan(o: { config: RunConfig; paths: RunPaths; dir: string; examples: SftExample[]; encoder: PromptEncoder; budgetSeconds: number; io: StageIo }): Promise<z.infer<typeof controlPlanSchema>> {
  const file = join(o.dir, 'control-plan.json');
  if (existsSync(file)) {
    const saved = controlPlanSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (saved.success) return saved.data;
  }
  const scratch = join(o.dir, 'calibration');
  rmSync(scratch, { recursive: true, force: true });
  const stamps: number[] = [];
  const result = await trainSft({
    config: controlSftConfig(o.config, CALIBRATION_STEPS),
    examples: o.examples,
    encoder: o.encoder,
    modelDir: o.paths.checkpoint(0),
    outputDir: scratch,
    signal: o.io.interrupt.signal,
    onProgress: (p: TrainProgress) => {
      if (p.phase === 'train' && p.step > stamps.length) stamps.push(performance.now());
    },
  });
  rmSync(scratch, { recursive: true, force: true });
  if (result.status === 'stopped') throw new InterruptedError('control SFT calibration');
  if (stamps.length < 2) throw new Error(`control calibration reported ${stamps.length} steps; cannot time a step`);
  const secondsPerStep = (stamps[stamps.length - 1]! - stamps[0]!) / 1000 / (stamps.length - 1);
  const plan = { steps: Math.max(1, Math.round(o.budgetSeconds / secondsPerStep)), budgetSeconds: o.budgetSeconds, secondsPerStep };
  writeFileAtomicSync(file, `${JSON.stringify(plan)}\n`);
  return plan;
}

import type { Judge } from '@smart/evaluators';
import type { PreferenceStore } from '@smart/preference-store';
import type { Generator } from '@smart/types';
import { isEmbeddedDefault, type RunConfig } from '../config/run-config';
import type { RunPaths } from '../run-folder/run-paths';
import type { RunSummary } from '../run-folder/summary';
import { recordTiming, timed } from '../run-folder/stage-timings';
import { baseSampleIds, buildBase } from './build-base';
import { controlSft } from './control-sft';
import { drawSamples } from './draw-samples';
import { evaluateIteration } from './evaluate-iteration';
import { filterCandidates } from './filter-candidates';
import { generateRationales } from './generate-rationales';
import type { BackendSettings } from '../backends/make-generator';
import { modelForIteration } from './model-for-iteration';
import { prepareData, type RunData } from './prepare-data';
import { publishReport, publishSummary } from './publish-results';
import type { StageIo } from './stage-context';
import { trainIteration } from './train-iteration';
import { trainingPromptOf } from './training-prompt';

/** Everything the loop needs from its caller: the config, the open run, the generator factory and I/O. */
export interface RunLoopOptions {
  config: RunConfig;
  paths: RunPaths;
  store: PreferenceStore;
  /** A generator for the model after iteration `k` (the app's wiring decides which backend, and swaps served checkpoints). */
  generatorFor: (settings: BackendSettings, k: number) => Generator;
  judge?: Judge;
  io: StageIo;
}

/** Generation part of one iteration: draw → positives/negatives → filters → pairs in the store. */
export async function generateIteration(o: RunLoopOptions & { data: RunData; iteration: number }): Promise<void> {
  const { config, store, iteration: k } = o;
  // With --base-items, the embedded base's own SFT items are never drawn: the iterations learn answers it has not seen.
  const reserved = isEmbeddedDefault(config) && config.baseItems > 0 ? await baseSampleIds(o.data, config.baseItems) : [];
  await timed(o.paths, 'generation', k, () => drawSamples({ store, data: o.data, iteration: k, count: config.samplesPerIteration, seed: config.seed, reserved, io: o.io }));
  publishSummary(o);
  const settings = modelForIteration(config, o.paths, k - 1);
  if (store.samplesMissing(k, 'positive').length + store.samplesMissing(k, 'negative').length > 0) {
    const generator = o.generatorFor(settings, k - 1);
    const t0 = performance.now();
    try {
      await generateRationales({
        store,
        generator,
        iteration: k,
        seed: config.seed,
        sampling: { temperature: config.temperature, topP: config.topP, maxNewTokens: config.maxNewTokens },
        augmentProfile: config.augmentProfile,
        batchSize: config.generationBatch,
        ...(config.backend === 'local' ? { modelFolder: settings.model } : {}),
        io: o.io,
      });
    } finally {
      await generator.close();
      recordTiming(o.paths, { stage: 'generation', iteration: k, seconds: (performance.now() - t0) / 1000 });
    }
  }
  publishSummary(o);
  await timed(o.paths, 'filtering', k, async () => filterCandidates({ store, iteration: k, profile: config.filterProfile, promptOf: trainingPromptOf(config.source), io: o.io }));
  publishSummary(o);
}

/** Evaluates the model after iteration `k` (0 = base). */
export async function evaluateModel(o: RunLoopOptions & { data: RunData; iteration: number }): Promise<void> {
  const generator = o.generatorFor(modelForIteration(o.config, o.paths, o.iteration), o.iteration);
  try {
    await timed(o.paths, 'eval', o.iteration, () => evaluateIteration({ ...o, generator }));
  } finally {
    await generator.close();
  }
  publishSummary(o);
}

/**
 * The whole cycle: base evaluation, then per iteration draw → generate → filter → train → evaluate,
 * until `maxIterations` or until held-out accuracy improves by less than `minImprovement`. Every stage
 * skips work already in the store or run folder, so re-running continues where a run stopped. The
 * embedded default then runs the control (continued SFT of the base for SMART's wall time).
 */
export async function runLoop(o: RunLoopOptions): Promise<RunSummary> {
  const data = await timed(o.paths, 'data', 0, () => prepareData(o.config, o.paths, o.io));
  const embedded = isEmbeddedDefault(o.config);
  if (embedded) await buildBase({ ...o, data });
  await evaluateModel({ ...o, data, iteration: 0 });
  let stoppedBecause = 'max-iterations';
  let ran = 0;
  for (let k = 1; k <= o.config.maxIterations; k++) {
    ran = k;
    await generateIteration({ ...o, data, iteration: k });
    await trainIteration({ ...o, iteration: k });
    publishSummary(o);
    await evaluateModel({ ...o, data, iteration: k });
    const summary = publishSummary(o);
    const prev = k === 1 ? summary.base.heldOut?.accuracy : summary.iterations.find((i) => i.iteration === k - 1)?.heldOut?.accuracy;
    const now = summary.iterations.find((i) => i.iteration === k)?.heldOut?.accuracy;
    if (o.config.minImprovement > 0 && prev != null && now != null && now - prev < o.config.minImprovement && k < o.config.maxIterations) {
      stoppedBecause = 'min-improvement';
      o.io.log(`stopping after iteration ${k}: held-out accuracy changed by ${((now - prev) * 100).toFixed(1)} points (< ${(o.config.minImprovement * 100).toFixed(1)})`);
      break;
    }
  }
  if (embedded && o.config.control) {
    // Same samples and the same wall time as the SMART iterations that ran.
    if (ran > 0) await controlSft({ ...o, data, iterations: ran });
  }
  return publishReport({ ...o, stoppedBecause });
}

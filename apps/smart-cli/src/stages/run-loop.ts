import type { Judge } from '@smart/evaluators';
import type { PreferenceStore } from '@smart/preference-store';
import type { Generator } from '@smart/types';
import type { RunConfig } from '../config/run-config';
import type { RunPaths } from '../run-folder/run-paths';
import type { RunSummary } from '../run-folder/summary';
import { buildBase } from './build-base';
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
  await drawSamples({ store, data: o.data, iteration: k, count: config.samplesPerIteration, seed: config.seed, io: o.io });
  publishSummary(o);
  const settings = modelForIteration(config, o.paths, k - 1);
  if (store.samplesMissing(k, 'positive').length + store.samplesMissing(k, 'negative').length > 0) {
    const generator = o.generatorFor(settings, k - 1);
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
    }
  }
  publishSummary(o);
  filterCandidates({ store, iteration: k, profile: config.filterProfile, io: o.io });
  publishSummary(o);
}

/** Evaluates the model after iteration `k` (0 = base). */
export async function evaluateModel(o: RunLoopOptions & { data: RunData; iteration: number }): Promise<void> {
  const generator = o.generatorFor(modelForIteration(o.config, o.paths, o.iteration), o.iteration);
  try {
    await evaluateIteration({ ...o, generator });
  } finally {
    await generator.close();
  }
  publishSummary(o);
}

/**
 * The whole cycle: base evaluation, then per iteration draw → generate → filter → train → evaluate,
 * until `maxIterations` or until held-out accuracy improves by less than `minImprovement`. Every stage
 * skips work already in the store or run folder, so re-running continues where a run stopped.
 */
export async function runLoop(o: RunLoopOptions): Promise<RunSummary> {
  const data = await prepareData(o.config, o.paths, o.io);
  if (!o.config.model && o.config.source === 'synthetic' && o.config.backend === 'local') await buildBase({ ...o, data });
  await evaluateModel({ ...o, data, iteration: 0 });
  let stoppedBecause = 'max-iterations';
  for (let k = 1; k <= o.config.maxIterations; k++) {
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
  return publishReport({ ...o, stoppedBecause });
}

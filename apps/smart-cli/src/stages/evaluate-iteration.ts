import { join } from 'node:path';
import type { Judge } from '@smart/evaluators';
import type { PreferenceStore } from '@smart/preference-store';
import type { Generator } from '@smart/types';
import type { RunConfig } from '../config/run-config';
import type { RunPaths } from '../run-folder/run-paths';
import { heldOutDir } from '../run-folder/summary';
import { runBenchmark, type BenchmarkOutcome } from './eval/run-benchmark';
import type { RunData } from './prepare-data';
import type { StageIo } from './stage-context';

/** Scores the model after iteration `k` on the held-out set and every configured benchmark; results go to `iter-k/eval/` and the store. */
export async function evaluateIteration(o: {
  config: RunConfig;
  paths: RunPaths;
  store: PreferenceStore;
  data: RunData;
  iteration: number;
  generator: Generator;
  judge?: Judge;
  io: StageIo;
}): Promise<{ heldOut: BenchmarkOutcome | null; benchmarks: BenchmarkOutcome[] }> {
  const { config, iteration: k } = o;
  const common = { generator: o.generator, iteration: k, batchSize: config.generationBatch, io: o.io, ...(o.judge ? { judge: o.judge } : {}) };
  let heldOut: BenchmarkOutcome | null = null;
  if (o.data.heldOutFile) {
    heldOut = await runBenchmark({
      ...common,
      spec: {
        benchmark: 'synthetic',
        data: o.data.heldOutFile,
        ...(o.data.imageRoot ? { imageRoot: o.data.imageRoot } : {}),
        ...(config.heldOutLimit ? { limit: config.heldOutLimit } : {}),
        maxNewTokens: config.evalMaxNewTokens,
      },
      outDir: heldOutDir(o.paths, k),
    });
    o.store.putEvalResult(heldOut.run.result, heldOut.run.items);
    const r = heldOut.run.result;
    o.io.log(`iteration ${k}: held-out accuracy ${(r.score * 100).toFixed(1)}% (n ${r.scored + r.failed}, failed ${r.failed})`);
  } else {
    o.io.log(`iteration ${k}: no held-out set (pass --held-out-data) — skipping the held-out evaluation`);
  }
  const benchmarks: BenchmarkOutcome[] = [];
  for (const b of config.benchmarks) {
    const out = await runBenchmark({
      ...common,
      spec: { benchmark: b.name, data: b.data, ...(b.imageRoot ? { imageRoot: b.imageRoot } : {}), ...(b.limit ? { limit: b.limit } : {}) },
      outDir: join(o.paths.evalDir(k), b.name),
    });
    o.store.putEvalResult(out.run.result, out.run.items);
    benchmarks.push(out);
  }
  return { heldOut, benchmarks };
}

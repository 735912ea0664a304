import { mkdirSync } from 'node:fs';
import { writeFileAtomicSync } from '@smart/core';
import type { PreferenceStore } from '@smart/preference-store';
import type { RunConfig } from '../config/run-config';
import type { RunPaths } from '../run-folder/run-paths';
import { externalTrain } from './external-train';
import { localTrain } from './local-train';
import { untrainedMarker } from './model-for-iteration';
import type { StageIo } from './stage-context';

/**
 * Optimizes iteration `k` on its kept pairs: the external trainer (LLaMA-Factory recipe + command), or
 * the local onnxruntime DPO trainer (@smart/dpo-trainer).
 */
export async function trainIteration(o: { config: RunConfig; paths: RunPaths; store: PreferenceStore; iteration: number; io: StageIo }): Promise<void> {
  const k = o.iteration;
  if (o.store.funnel(k).kept === 0) {
    // Nothing survived the filters: the iteration keeps its start model (recorded, so eval and the next iteration use it).
    o.io.log(`iteration ${k}: no pairs survived the filters; nothing to train — iteration ${k} keeps the model of iteration ${k - 1}`);
    mkdirSync(o.paths.iter(k), { recursive: true });
    writeFileAtomicSync(untrainedMarker(o.paths, k), `${JSON.stringify({ reason: 'no kept pairs', funnel: o.store.funnel(k) })}\n`);
    return;
  }
  if (o.config.trainer === 'external') {
    await externalTrain(o);
    return;
  }
  await localTrain(o);
}

import type { PreferenceStore } from '@smart/preference-store';
import type { RunConfig } from '../config/run-config';
import type { RunPaths } from '../run-folder/run-paths';
import { externalTrain } from './external-train';
import { localTrain } from './local-train';
import type { StageIo } from './stage-context';

/**
 * Optimizes iteration `k` on its kept pairs: the external trainer (LLaMA-Factory recipe + command), or
 * the local onnxruntime DPO trainer (@smart/dpo-trainer).
 */
export async function trainIteration(o: { config: RunConfig; paths: RunPaths; store: PreferenceStore; iteration: number; io: StageIo }): Promise<void> {
  if (o.config.trainer === 'external') {
    await externalTrain(o);
    return;
  }
  await localTrain(o);
}

import type { PreferenceStore } from '@smart/preference-store';
import type { RunConfig } from '../config/run-config';
import { StageUnavailableError } from '../errors/errors';
import type { RunPaths } from '../run-folder/run-paths';
import { externalTrain } from './external-train';
import type { StageIo } from './stage-context';

/**
 * Optimizes iteration `k` on its kept pairs: the external trainer (LLaMA-Factory recipe + command), or
 * the local onnxruntime DPO trainer.
 */
export async function trainIteration(o: { config: RunConfig; paths: RunPaths; store: PreferenceStore; iteration: number; io: StageIo }): Promise<void> {
  if (o.config.trainer === 'external') {
    await externalTrain(o);
    return;
  }
  throw new StageUnavailableError(
    'train',
    '@smart/dpo-trainer does not expose a trainer yet; use --trainer external --train-command "llamafactory-cli train {recipe}" (or a command of your own), or `smart export` and train elsewhere, then `smart import-checkpoint`',
  );
}

import type { CheckpointDType } from '@smart/models';
import type { RunConfig } from '../config/run-config';

const DTYPES = { fp32: 'float32', bf16: 'bfloat16', fp16: 'float16' } as const satisfies Record<RunConfig['dtype'], CheckpointDType>;

/**
 * The trainer option that writes the run's HF checkpoints in `--dtype`; none for fp32, so a default run's
 * checkpoint (config.json included) is what it was before the flag existed.
 */
export function checkpointDtypeOption(config: RunConfig): { checkpointDtype?: CheckpointDType } {
  return config.dtype === 'fp32' ? {} : { checkpointDtype: DTYPES[config.dtype] };
}

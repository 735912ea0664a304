import { z } from 'zod';
import { trainingArgumentsShape } from './training-arguments';

/** TRL `SFTConfig` fields this trainer implements (completion-only loss); TRL's SFT defaults where they differ. */
export const sftConfigSchema = z.object({
  ...trainingArgumentsShape,
  learning_rate: trainingArgumentsShape.learning_rate.removeDefault().default(2e-5).describe('Peak learning rate of AdamW (TRL SFTConfig default 2e-5).'),
  truncation_mode: trainingArgumentsShape.truncation_mode
    .removeDefault()
    .default('keep_start')
    .describe('Which end of an over-long row survives truncation to max_length (TRL SFT keeps the start); image tokens are never cut.'),
});

/** A validated SFT config (defaults filled). */
export type SftConfig = z.infer<typeof sftConfigSchema>;
/** SFT config as users write it (every field optional). */
export type SftConfigInput = z.input<typeof sftConfigSchema>;

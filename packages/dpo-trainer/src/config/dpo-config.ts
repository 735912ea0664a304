import { z } from 'zod';
import { LOSS_SPANS } from '../collate/step-span';
import { trainingArgumentsShape } from './training-arguments';

/** The preference losses (TRL `loss_type` values) this trainer implements. */
export const LOSS_TYPES = ['sigmoid', 'ipo', 'hinge', 'robust'] as const;

/** TRL `DPOConfig` fields this trainer implements, with TRL's names, defaults and help text. */
export const dpoConfigSchema = z
  .object({
    ...trainingArgumentsShape,
    loss_type: z
      .enum(LOSS_TYPES)
      .default('sigmoid')
      .describe('DPO loss: sigmoid −log σ(βΔ) (Rafailov et al. 2023), ipo (Azar et al. 2023), hinge (SLiC), robust (Chowdhury et al. 2024).'),
    beta: z.number().positive().default(0.1).describe('β: temperature of the implicit reward; larger keeps the policy closer to the reference.'),
    label_smoothing: z
      .number()
      .min(0)
      .lt(0.5)
      .default(0)
      .describe('ε: assumed fraction of flipped preference labels (conservative DPO with sigmoid, and robust); 0 = plain DPO.'),
    rpo_alpha: z.number().min(0).nullable().default(null).describe('α of RPO (Pang et al. 2024): adds α·NLL of the chosen completion to the loss; null = off.'),
    loss_span: z
      .enum(LOSS_SPANS)
      .default('completion')
      .describe(
        'Tokens each pair is scored on: completion (TRL: the whole rationale), or first_differing_step (Step-DPO, Lai et al. 2024: from the first token where chosen and rejected differ through the end of that step).',
      ),
    max_prompt_length: z
      .number()
      .int()
      .positive()
      .nullable()
      .default(512)
      .describe('Longest prompt in tokens kept when prompt + completion exceeds max_length (TRL tokenize_row); null = no limit.'),
    precompute_ref_log_probs: z
      .boolean()
      .default(true)
      .describe(
        'Compute the frozen reference model’s log-probs once before training and store them with the pairs (default here, as SMART stores them per iteration); false = a reference forward per micro-batch.',
      ),
  })
  .superRefine((c, ctx) => {
    if (c.max_length !== null && c.max_prompt_length !== null && c.max_prompt_length >= c.max_length) {
      ctx.addIssue({ code: 'custom', path: ['max_prompt_length'], message: 'max_prompt_length must be smaller than max_length' });
    }
  });

/** A validated DPO config (defaults filled). */
export type DpoConfig = z.infer<typeof dpoConfigSchema>;
/** DPO config as users write it (every field optional). */
export type DpoConfigInput = z.input<typeof dpoConfigSchema>;

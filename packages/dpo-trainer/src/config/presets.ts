import type { DpoConfigInput } from './dpo-config';

/**
 * SMART's optimization recipe (arXiv 2507.02984 §4 / method.md §5): DPO sigmoid, β 0.1, lr 2e-6 cosine with
 * warmup 0.1, no weight decay, effective batch 128 (1 pair × 128 accumulated micro-batches), 1 epoch,
 * language model + lm_head trained in full, cutoff 4096 tokens.
 */
export const PAPER_DPO_PRESET = {
  loss_type: 'sigmoid',
  beta: 0.1,
  learning_rate: 2e-6,
  lr_scheduler_type: 'cosine',
  warmup_ratio: 0.1,
  weight_decay: 0,
  per_device_train_batch_size: 1,
  gradient_accumulation_steps: 128,
  num_train_epochs: 1,
  max_length: 4096,
  max_prompt_length: 2048,
  trainable_parts: ['text'],
  lora: null,
} as const satisfies DpoConfigInput;

/** Named DPO presets a config can start from (`preset: 'paper'`, then field overrides). */
export const DPO_PRESETS = { paper: PAPER_DPO_PRESET } as const satisfies Record<string, DpoConfigInput>;

/** A DPO preset name. */
export type DpoPresetName = keyof typeof DPO_PRESETS;

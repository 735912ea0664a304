import { z } from 'zod';

/**
 * Fields shared by the SFT and DPO configs, named as in transformers' `TrainingArguments` / TRL, with the
 * same defaults unless the help text says otherwise. Every field carries help text (shown by the CLI).
 */
export const trainingArgumentsShape = {
  learning_rate: z.number().positive().default(1e-6).describe('Peak learning rate of AdamW (TRL DPOConfig default 1e-6).'),
  lr_scheduler_type: z
    .enum(['cosine', 'linear', 'constant', 'constant_with_warmup'])
    .default('linear')
    .describe('Learning-rate schedule, as transformers get_scheduler: cosine and linear decay to 0 after warmup.'),
  warmup_ratio: z.number().min(0).max(1).default(0).describe('Fraction of the total optimizer steps spent warming up linearly from 0; warmup steps = ceil(ratio · total).'),
  warmup_steps: z.number().int().min(0).default(0).describe('Warmup optimizer steps; when > 0 it overrides warmup_ratio.'),
  weight_decay: z.number().min(0).default(0).describe('Decoupled AdamW weight decay (torch.optim.AdamW; 0 = none).'),
  adam_beta1: z.number().min(0).lt(1).default(0.9).describe('AdamW β1 (first-moment decay).'),
  adam_beta2: z.number().min(0).lt(1).default(0.999).describe('AdamW β2 (second-moment decay).'),
  adam_epsilon: z.number().positive().default(1e-8).describe('AdamW ε added to the denominator.'),
  max_grad_norm: z.number().min(0).default(1).describe('Global L2 norm the accumulated gradient is clipped to before each update; 0 = no clipping.'),
  per_device_train_batch_size: z.number().int().positive().default(8).describe('Examples (DPO: pairs, i.e. 2× rows) per micro-batch, i.e. per forward/backward.'),
  gradient_accumulation_steps: z
    .number()
    .int()
    .positive()
    .default(1)
    .describe('Micro-batches summed into one optimizer step; effective batch = per_device_train_batch_size × gradient_accumulation_steps.'),
  num_train_epochs: z.number().positive().default(3).describe('Passes over the data (ignored when max_steps > 0); fractional values stop part-way through the last epoch.'),
  max_steps: z.number().int().default(-1).describe('Total optimizer steps; when > 0 it overrides num_train_epochs (the data repeats as needed).'),
  max_length: z.number().int().positive().nullable().default(1024).describe('Longest prompt + completion row in tokens; longer rows are truncated as TRL (null = no limit).'),
  truncation_mode: z
    .enum(['keep_end', 'keep_start'])
    .default('keep_end')
    .describe('Which end of an over-long prompt survives truncation (TRL default keep_end keeps its last max_prompt_length tokens); image tokens are never cut.'),
  seed: z.number().int().default(42).describe('Seed of the data order (and LoRA init); the same seed and data give the same run.'),
  logging_steps: z.number().int().positive().default(10).describe('Optimizer steps between rows of train-metrics.jsonl (metrics are averaged over the window).'),
  save_steps: z.number().int().positive().default(500).describe('Optimizer steps between resumable checkpoints (weights, AdamW state, step, schedule, RNG, data cursor).'),
  trainable_parts: z
    .array(z.enum(['text', 'vision', 'projector']))
    .min(1)
    .default(['text'])
    .describe('Model parts trained in full fine-tuning: text = language model + lm_head (default; vision tower and projector frozen).'),
  lora: z
    .object({
      r: z.number().int().positive().describe('LoRA rank (PEFT `r`).'),
      lora_alpha: z.number().positive().describe('LoRA scaling numerator (PEFT `lora_alpha`): adapters add (lora_alpha / r)·B·A.'),
      target_modules: z
        .array(z.string().min(1))
        .min(1)
        .default(['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'])
        .describe('Language-model linear layers to adapt, by last name segment (PEFT `target_modules`).'),
    })
    .nullable()
    .default(null)
    .describe('LoRA adapters (PEFT LoraConfig names); null = full fine-tuning of trainable_parts.'),
  execution_provider: z
    .enum(['cpu', 'cuda', 'webgpu'])
    .default('cpu')
    .describe('ONNX Runtime execution provider; cuda and webgpu need their libraries (a typed error says how to enable them).'),
  intra_op_threads: z
    .number()
    .int()
    .positive()
    .nullable()
    .default(null)
    .describe('onnxruntime intra-op threads of the training sessions (null: its default, one per core). 1 makes training bit-reproducible: with more, kernels can sum in a different order from run to run. Not part of the resume fingerprint.'),
  completion_only_lm_head: z
    .boolean()
    .default(true)
    .describe('Compute lm_head and log-softmax only at completion positions, so memory grows with completion tokens × vocabulary.'),
};

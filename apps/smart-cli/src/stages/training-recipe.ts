import { stringify } from 'yaml';
import type { RunConfig } from '../config/run-config';

/** Paths a LLaMA-Factory DPO recipe refers to. */
export interface RecipePaths {
  /** HF checkpoint the iteration starts from. */
  modelPath: string;
  datasetDir: string;
  datasetName: string;
  outputDir: string;
}

/**
 * A LLaMA-Factory DPO recipe with the paper's settings (method.md §5): sigmoid DPO, β 0.1, lr 2e-6,
 * cosine with 10% warmup, no weight decay, effective batch 128 by accumulation, one epoch, language model
 * trained with the vision tower and projector frozen, bf16, cutoff 4096.
 */
export function llamaFactoryRecipe(config: RunConfig, p: RecipePaths): Record<string, unknown> {
  return {
    model_name_or_path: p.modelPath,
    trust_remote_code: true,
    stage: 'dpo',
    do_train: true,
    finetuning_type: 'full',
    freeze_vision_tower: true,
    freeze_multi_modal_projector: true,
    pref_beta: config.beta,
    // TRL's loss names; LLaMA-Factory has no "robust" (refused at the config boundary).
    pref_loss: config.lossType,
    // LLaMA-Factory's NLL term: the mean over pairs of each chosen rationale's token-mean NLL (TRL's rpo_alpha
    // takes the token mean over the batch's chosen tokens; the two agree when the rationales are equally long).
    ...(config.rpoAlpha > 0 ? { pref_ftx: config.rpoAlpha } : {}),
    dataset: p.datasetName,
    dataset_dir: p.datasetDir,
    template: config.llamaFactoryTemplate,
    cutoff_len: config.cutoffLen,
    overwrite_cache: true,
    output_dir: p.outputDir,
    overwrite_output_dir: true,
    save_only_model: true,
    logging_steps: 1,
    plot_loss: true,
    report_to: 'none',
    per_device_train_batch_size: config.microBatchSize,
    gradient_accumulation_steps: Math.max(1, Math.round(config.batchSize / config.microBatchSize)),
    learning_rate: config.learningRate,
    num_train_epochs: config.epochs,
    lr_scheduler_type: config.lrScheduler === 'constant' ? 'constant_with_warmup' : config.lrScheduler,
    warmup_ratio: config.warmupRatio,
    weight_decay: config.weightDecay,
    bf16: true,
    seed: config.seed,
  };
}

/** The recipe as YAML text (what `llamafactory-cli train` reads). */
export function recipeYaml(recipe: Record<string, unknown>): string {
  return `# SMART iteration recipe (paper settings, method.md §5); written by \`smart train --trainer external\`\n${stringify(recipe)}`;
}

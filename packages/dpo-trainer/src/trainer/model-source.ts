import { familyOf, initLoraWeights, readModelConfig, type LoraConfig, type ModelConfig, type ModelFamily, type ModelFiles } from '@smart/models';
import type { TensorData } from '@smart/onnx-graph';
import type { SftConfig } from '../config/sft-config';
import type { DpoConfig } from '../config/dpo-config';
import type { Engine, EngineOptions, Objective } from '../engine/types';
import { z } from 'zod';
import { ModelFolderError } from '../errors';

/** Builds the engine (ORT sessions) from its options; the package's `createEngine` by default. */
export type EngineFactory = (options: EngineOptions) => Promise<Engine>;

/** The start model of a run: an HF checkpoint folder with the tokenizer and processor files that travel with it. */
export interface StartModel {
  checkpointDir: string;
  config: ModelConfig;
  /** The config's family (selected by `model_type`): loads, builds, saves and exports this model. */
  family: ModelFamily<ModelConfig>;
  weights: Map<string, TensorData>;
  files: ModelFiles;
  /** Right-padding id of training batches (generation_config `pad_token_id`, else `eos_token_id`). */
  padTokenId: number;
}

const tokenId = z.union([z.number().int(), z.array(z.number().int()).min(1)]).transform((v) => (Array.isArray(v) ? v[0]! : v));
const generationSchema = z.object({ eos_token_id: tokenId.nullish(), pad_token_id: tokenId.nullish() });

/** Loads the start model (weights, config, model files) from an HF checkpoint folder of any family models implements. */
export async function loadStartModel(checkpointDir: string): Promise<StartModel> {
  const family = familyOf(readModelConfig(checkpointDir));
  const { config, weights, files } = await family.loadCheckpoint(checkpointDir);
  const generation = generationSchema.safeParse(files.generationConfig ?? {});
  const padTokenId = generation.success ? (generation.data.pad_token_id ?? generation.data.eos_token_id) : undefined;
  if (padTokenId === undefined || padTokenId === null) throw new ModelFolderError(checkpointDir, 'generation_config.json names no pad_token_id or eos_token_id to pad training rows with');
  return { checkpointDir, config, family, weights, files, padTokenId };
}

/** The config's LoRA settings in models' terms (PEFT names → rank/alpha/targetModules). */
export function loraOf(config: SftConfig | DpoConfig): LoraConfig | undefined {
  return config.lora ? { rank: config.lora.r, alpha: config.lora.lora_alpha, targetModules: config.lora.target_modules } : undefined;
}

/** Engine options for a config: trainable parts or fresh LoRA adapters (seeded), AdamW and clipping, the EP. */
export function engineOptionsFor(
  config: SftConfig | DpoConfig,
  model: StartModel,
  objective: Objective,
  images: 'pixels' | 'none',
  extra: Pick<EngineOptions, 'dtype' | 'artifactsDir'> = {},
): EngineOptions {
  const lora = loraOf(config);
  return {
    config: model.config,
    weights: model.weights,
    ...(lora ? { lora: { config: lora, adapters: initLoraWeights(model.weights, lora, config.seed) } } : { trainable: model.family.trainableParts(model.config, config.trainable_parts) }),
    objective,
    optimizer: {
      beta1: config.adam_beta1,
      beta2: config.adam_beta2,
      epsilon: config.adam_epsilon,
      weightDecay: config.weight_decay,
      ...(config.max_grad_norm > 0 ? { maxGradNorm: config.max_grad_norm } : {}),
    },
    images,
    executionProvider: config.execution_provider,
    ...(config.intra_op_threads !== null ? { intraOpThreads: config.intra_op_threads } : {}),
    completionOnlyLmHead: config.completion_only_lm_head,
    ...extra,
  };
}

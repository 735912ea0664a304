import type { TensorData } from '@smart/onnx-graph';
import { join } from 'node:path';
import type { ModelFiles } from '../files/model-files';
import { checkTensorSpecs } from '../weights/check-tensor-specs';
import { readCheckpointFolder, writeCheckpointFolder, type SaveCheckpointOptions } from '../weights/checkpoint-folder';
import { parseImageNormalization, type ImageNormalization } from '../processor/image-normalization';
import type { LlavaConfig } from './llava-config';
import { llavaImageNormalization } from './processor-files';
import { readLlavaConfig } from './read-config';
import { canonicalTensorName, llavaTensorSpecs } from './tensor-names';

/** A loaded HF LLaVA folder: validated config, float32 weights under canonical names, and the files that travel with them. */
export interface LlavaCheckpoint {
  config: LlavaConfig;
  weights: Map<string, TensorData>;
  /** Checkpoint tensors the architecture does not use (e.g. SigLIP's pooling head), by canonical name. */
  unused: string[];
  /** Tokenizer, chat-template, generation and processor files found in the folder, to write back or re-export. */
  files: ModelFiles;
  /** The image size and mean/std of the folder's preprocessor_config.json (the config's family default when absent). */
  normalization: ImageNormalization;
}

/** Checks that `weights` holds every tensor of `config` with the right shape; throws naming the first bad one. */
export function validateWeights(config: LlavaConfig, weights: ReadonlyMap<string, TensorData>, folder = '<weights>'): void {
  checkTensorSpecs(llavaTensorSpecs(config), weights, folder);
}

/**
 * Reads an HF LLaVA folder (config.json + model.safetensors or sharded index), accepting both the classic
 * and the `model.*` (transformers ≥ 4.52) tensor layouts, widening F16/BF16 to float32, plus its tokenizer and
 * processor files (see ModelFiles).
 */
export async function loadLlavaCheckpoint(folder: string): Promise<LlavaCheckpoint> {
  const config = readLlavaConfig(folder);
  const { weights, unused, files } = await readCheckpointFolder(folder, llavaTensorSpecs(config), canonicalTensorName);
  const normalization = files.preprocessorConfig
    ? parseImageNormalization(files.preprocessorConfig, join(folder, 'preprocessor_config.json'))
    : llavaImageNormalization(config);
  return { config, weights, unused, files, normalization };
}

/**
 * Writes an HF LLaVA folder that Python `transformers` and vLLM load: config.json (unknown keys kept),
 * safetensors in the classic layout with `format: pt` metadata, in `dtype`, sharded past `maxShardBytes`, and the
 * given tokenizer and processor files (writeCheckpointFolder).
 */
export function saveLlavaCheckpoint(
  folder: string,
  config: LlavaConfig,
  weights: ReadonlyMap<string, TensorData>,
  options: SaveCheckpointOptions = {},
): Promise<string[]> {
  return writeCheckpointFolder(folder, config.raw, llavaTensorSpecs(config), weights, options);
}

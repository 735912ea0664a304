import type { TensorData } from '@smart/onnx-graph';
import type { ModelFiles } from '../files/model-files';
import { readCheckpointFolder, writeCheckpointFolder, type SaveCheckpointOptions } from '../weights/checkpoint-folder';
import type { Qwen2VlConfig } from './qwen2-vl-config';
import { readQwen2VlConfig } from './read-config';
import { qwen2VlCanonicalName, qwen2VlTensorSpecs } from './tensor-names';

/** A loaded HF Qwen2-VL folder: validated config, float32 weights under the published names, and the files beside them. */
export interface Qwen2VlCheckpoint {
  config: Qwen2VlConfig;
  weights: Map<string, TensorData>;
  /** Checkpoint tensors the architecture does not use, by canonical name. */
  unused: string[];
  files: ModelFiles;
}

/** Reads an HF Qwen2-VL folder (published or transformers ≥ 4.52 layout; F16/BF16 widened to float32) and its model files. */
export async function loadQwen2VlCheckpoint(folder: string): Promise<Qwen2VlCheckpoint> {
  const config = readQwen2VlConfig(folder);
  return { config, ...(await readCheckpointFolder(folder, qwen2VlTensorSpecs(config), qwen2VlCanonicalName)) };
}

/**
 * Writes an HF Qwen2-VL folder in the published layout (`visual.*`, `model.*`, `lm_head.*`; `format: pt`), in
 * `dtype`, sharded past `maxShardBytes` (default 5 GB) with an index, with its model files (writeCheckpointFolder).
 */
export function saveQwen2VlCheckpoint(
  folder: string,
  config: Qwen2VlConfig,
  weights: ReadonlyMap<string, TensorData>,
  options: SaveCheckpointOptions = {},
): Promise<string[]> {
  return writeCheckpointFolder(folder, config.raw, qwen2VlTensorSpecs(config), weights, options);
}

import { writeJsonAtomic } from '@smart/core';
import { writeSafetensorsFolder, type TensorData } from '@smart/onnx-graph';
import { join } from 'node:path';
import { readModelFiles, writeModelFiles, type ModelFiles } from '../files/model-files';
import { checkTensorSpecs } from '../weights/check-tensor-specs';
import { readFloatWeights } from '../weights/read-float-weights';
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
  const weights = await readFloatWeights(folder, qwen2VlCanonicalName);
  const specs = qwen2VlTensorSpecs(config);
  checkTensorSpecs(specs, weights, folder);
  const known = new Set(specs.map((s) => s.name));
  return { config, weights, unused: [...weights.keys()].filter((n) => !known.has(n)), files: await readModelFiles(folder) };
}

/** Writes an HF Qwen2-VL folder in the published layout (`visual.*`, `model.*`, `lm_head.*`; `format: pt`) with its model files. */
export async function saveQwen2VlCheckpoint(
  folder: string,
  config: Qwen2VlConfig,
  weights: ReadonlyMap<string, TensorData>,
  options: { files?: ModelFiles; maxShardBytes?: number } = {},
): Promise<string[]> {
  checkTensorSpecs(qwen2VlTensorSpecs(config), weights, folder);
  const files = await writeSafetensorsFolder(folder, new Map(weights), {
    metadata: { format: 'pt' },
    ...(options.maxShardBytes ? { maxShardBytes: options.maxShardBytes } : {}),
  });
  await writeJsonAtomic(join(folder, 'config.json'), config.raw);
  const extra = options.files ? await writeModelFiles(folder, options.files) : [];
  return [...files, 'config.json', ...extra];
}

import { writeJsonAtomic } from '@smart/core';
import { narrow16, writeSafetensorsFolder, type TensorData } from '@smart/onnx-graph';
import { readFloatWeights } from '../weights/read-float-weights';
import { join } from 'node:path';
import { checkTensorSpecs } from '../weights/check-tensor-specs';
import { readModelFiles, writeModelFiles, type ModelFiles } from '../files/model-files';
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
  const weights = await readFloatWeights(folder, canonicalTensorName);
  validateWeights(config, weights, folder);
  const known = new Set(llavaTensorSpecs(config).map((s) => s.name));
  const files = await readModelFiles(folder);
  const normalization = files.preprocessorConfig
    ? parseImageNormalization(files.preprocessorConfig, join(folder, 'preprocessor_config.json'))
    : llavaImageNormalization(config);
  return { config, weights, unused: [...weights.keys()].filter((n) => !known.has(n)), files, normalization };
}

/** Element type of the floating-point tensors of a written checkpoint (HF's `torch_dtype` names). */
export type CheckpointDType = 'float32' | 'float16' | 'bfloat16';

/** transformers' default `max_shard_size` ("5GB", decimal). */
export const DEFAULT_MAX_SHARD_BYTES = 5_000_000_000;

/** Options of saveLlavaCheckpoint. */
export interface SaveCheckpointOptions {
  /** Shard the safetensors past this many bytes (with `model.safetensors.index.json`); default 5 GB as HF. */
  maxShardBytes?: number;
  /** Write float tensors as float16 or bfloat16 (round to nearest even, as torch's `.to()`); default float32. */
  dtype?: CheckpointDType;
  /** Tokenizer and processor files to write beside the weights (e.g. `loadLlavaCheckpoint(...).files`). */
  files?: ModelFiles;
}

/**
 * Writes an HF LLaVA folder that Python `transformers` and vLLM load: config.json (unknown keys kept),
 * safetensors in the classic layout with `format: pt` metadata, sharded past `maxShardBytes`, and the given
 * tokenizer and processor files; JSON files are written atomically.
 */
export async function saveLlavaCheckpoint(
  folder: string,
  config: LlavaConfig,
  weights: ReadonlyMap<string, TensorData>,
  options: SaveCheckpointOptions = {},
): Promise<string[]> {
  validateWeights(config, weights, folder);
  const dtype = options.dtype ?? 'float32';
  const files = await writeSafetensorsFolder(folder, castWeights(weights, dtype), {
    metadata: { format: 'pt' },
    maxShardBytes: options.maxShardBytes ?? DEFAULT_MAX_SHARD_BYTES,
  });
  // Loaders (transformers' torch_dtype="auto", vLLM) take the element type from the config: keep it true.
  const stated = options.dtype !== undefined || config.raw['torch_dtype'] !== undefined;
  await writeJsonAtomic(join(folder, 'config.json'), stated ? { ...config.raw, torch_dtype: dtype } : config.raw);
  const extra = options.files ? await writeModelFiles(folder, options.files) : [];
  return [...files, 'config.json', ...extra];
}

/** The weights with float32/float64 tensors narrowed to `dtype` (others, and float32 output, unchanged). */
function castWeights(weights: ReadonlyMap<string, TensorData>, dtype: CheckpointDType): Map<string, TensorData> {
  if (dtype === 'float32') return new Map(weights);
  const out = new Map<string, TensorData>();
  for (const [name, t] of weights) {
    const float = t.dtype === 'float32' || t.dtype === 'float64';
    out.set(name, float ? { dtype, shape: t.shape, data: narrow16(t.data as Float32Array | Float64Array, dtype) } : t);
  }
  return out;
}

import { writeJsonAtomic } from '@smart/core';
import { narrow16, writeSafetensorsFolder, type TensorData } from '@smart/onnx-graph';
import { join } from 'node:path';
import { readModelFiles, writeModelFiles, type ModelFiles } from '../files/model-files';
import { checkTensorSpecs } from './check-tensor-specs';
import { readFloatWeights } from './read-float-weights';
import type { TensorSpec } from './tensor-spec';

/** Element type of the floating-point tensors of a written checkpoint (HF's `torch_dtype` names). */
export type CheckpointDType = 'float32' | 'float16' | 'bfloat16';

/** transformers' default `max_shard_size` ("5GB", decimal). */
export const DEFAULT_MAX_SHARD_BYTES = 5_000_000_000;

/** Options of a family's saveCheckpoint. */
export interface SaveCheckpointOptions {
  /** Shard the safetensors past this many bytes (with `model.safetensors.index.json`); default 5 GB as HF. */
  maxShardBytes?: number;
  /** Write float tensors as float16 or bfloat16 (round to nearest even, as torch's `.to()`); default float32. */
  dtype?: CheckpointDType;
  /** Tokenizer and processor files to write beside the weights (e.g. a loaded checkpoint's `files`). */
  files?: ModelFiles;
}

/** What readCheckpointFolder found: validated float weights, the tensors the specs do not name, the model files. */
export interface CheckpointFolderContents {
  weights: Map<string, TensorData>;
  /** Checkpoint tensors the architecture does not use (e.g. SigLIP's pooling head), by canonical name. */
  unused: string[];
  files: ModelFiles;
}

/**
 * Reads the safetensors (single file or sharded index; F16/BF16 widened to float32) of an HF folder under the
 * names `canonical` gives, checks them against `specs` (throwing on the first missing or misshapen tensor) and
 * reads the tokenizer and processor files beside them. Any family's loadCheckpoint, after its config.
 */
export async function readCheckpointFolder(folder: string, specs: readonly TensorSpec[], canonical: (name: string) => string): Promise<CheckpointFolderContents> {
  const weights = await readFloatWeights(folder, canonical);
  checkTensorSpecs(specs, weights, folder);
  const known = new Set(specs.map((s) => s.name));
  return { weights, unused: [...weights.keys()].filter((n) => !known.has(n)), files: await readModelFiles(folder) };
}

/**
 * Writes an HF checkpoint folder that Python `transformers` and vLLM load: the weights (checked against `specs`)
 * as safetensors with `format: pt` metadata in `dtype`, sharded past `maxShardBytes` with an index, config.json
 * (`rawConfig`, unknown keys kept; `torch_dtype` set to what was written) and the model files; JSON is written
 * atomically. Returns the files written. Any family's saveCheckpoint.
 */
export async function writeCheckpointFolder(
  folder: string,
  rawConfig: Record<string, unknown>,
  specs: readonly TensorSpec[],
  weights: ReadonlyMap<string, TensorData>,
  options: SaveCheckpointOptions = {},
): Promise<string[]> {
  checkTensorSpecs(specs, weights, folder);
  const dtype = options.dtype ?? 'float32';
  const files = await writeSafetensorsFolder(folder, castWeights(weights, dtype), {
    metadata: { format: 'pt' },
    maxShardBytes: options.maxShardBytes ?? DEFAULT_MAX_SHARD_BYTES,
  });
  // Loaders (transformers' torch_dtype="auto", vLLM) take the element type from the config: keep it true.
  const stated = options.dtype !== undefined || rawConfig['torch_dtype'] !== undefined;
  await writeJsonAtomic(join(folder, 'config.json'), stated ? { ...rawConfig, torch_dtype: dtype } : rawConfig);
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

import { saveModel, writeSafetensors, type Graph, type TensorData, type Value } from '@smart/onnx-graph';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FloatArray, Objective, OptimizerOptions } from './types';

/** File names of the artifacts, in ORT's training-artifact roles. */
export const ARTIFACT_FILES = {
  training: 'training_model.onnx',
  eval: 'eval_model.onnx',
  optimizer: 'optimizer_model.onnx',
  checkpoint: 'checkpoint.safetensors',
  manifest: 'artifacts.json',
} as const;

/** One graph input or output as documented in `artifacts.json`. */
export interface ArtifactTensor {
  name: string;
  dtype: string;
  shape: (number | string)[];
}

/** `artifacts.json`: what each graph takes and returns, and the hyper-parameters baked into them. */
export interface ArtifactManifest {
  format: 'smart-training-artifacts/1';
  files: typeof ARTIFACT_FILES;
  dtype: 'float32' | 'float64';
  objective: Objective;
  optimizer: OptimizerOptions;
  /** Trainable tensors, in graph-input order; the checkpoint holds `<name>`, `<name>.m`, `<name>.v`. */
  trainable: string[];
  graphs: Record<'training' | 'eval' | 'optimizer', { inputs: ArtifactTensor[]; outputs: ArtifactTensor[] }>;
}

const io = (vs: Value[]): ArtifactTensor[] => vs.map((v) => ({ name: v.name, dtype: v.dtype, shape: [...v.shape] }));

/** Frozen weights of at least this many bytes go to `<model>.onnx.data` (standard ONNX external data). */
const EXTERNAL_DATA_THRESHOLD = 1024;

/** Writes the three graphs (ONNX with external data) and the manifest into `dir`. */
export async function writeGraphArtifacts(
  dir: string,
  graphs: Record<'training' | 'eval' | 'optimizer', Graph>,
  meta: Pick<ArtifactManifest, 'dtype' | 'objective' | 'optimizer' | 'trainable'>,
): Promise<ArtifactManifest> {
  for (const role of ['training', 'eval', 'optimizer'] as const) {
    await saveModel(join(dir, ARTIFACT_FILES[role]), graphs[role], { externalDataThreshold: EXTERNAL_DATA_THRESHOLD, producerName: '@smart/dpo-trainer' });
  }
  const manifest: ArtifactManifest = {
    format: 'smart-training-artifacts/1',
    files: ARTIFACT_FILES,
    ...meta,
    graphs: {
      training: { inputs: io(graphs.training.inputs), outputs: io(graphs.training.outputs) },
      eval: { inputs: io(graphs.eval.inputs), outputs: io(graphs.eval.outputs) },
      optimizer: { inputs: io(graphs.optimizer.inputs), outputs: io(graphs.optimizer.outputs) },
    },
  };
  await writeFile(join(dir, ARTIFACT_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Writes `checkpoint.safetensors`: each trainable tensor with its AdamW moments, and the step in the metadata. */
export async function writeCheckpoint(
  path: string,
  step: number,
  tensors: ReadonlyMap<string, { shape: number[]; param: FloatArray; m: FloatArray; v: FloatArray }>,
): Promise<void> {
  const out = new Map<string, TensorData>();
  for (const [name, t] of tensors) {
    const dtype = t.param instanceof Float64Array ? 'float64' : 'float32';
    out.set(name, { dtype, shape: t.shape, data: t.param });
    out.set(`${name}.m`, { dtype, shape: t.shape, data: t.m });
    out.set(`${name}.v`, { dtype, shape: t.shape, data: t.v });
  }
  await writeSafetensors(path, out, { step: String(step), format: 'smart-training-checkpoint/1' });
}

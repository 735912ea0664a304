import { DuplicateTensorError } from '../errors';
import { readSafetensorsFolder, widen16, type TensorData } from '@smart/onnx-graph';

/**
 * The safetensors of an HF folder (single file or sharded) as float32/float64 tensors, F16/BF16 widened,
 * names mapped by `rename`; two tensors renamed alike are a DuplicateTensorError, never a silent overwrite.
 */
export async function readFloatWeights(folder: string, rename: (name: string) => string): Promise<Map<string, TensorData>> {
  const { tensors } = await readSafetensorsFolder(folder);
  const weights = new Map<string, TensorData>();
  const original = new Map<string, string>();
  for (const [name, t] of tensors) {
    const canonical = rename(name);
    const first = original.get(canonical);
    if (first !== undefined) throw new DuplicateTensorError(folder, canonical, first, name);
    original.set(canonical, name);
    let data = t.data;
    if (t.dtype === 'float16' || t.dtype === 'bfloat16') data = widen16(t.data as Uint16Array, t.dtype);
    else if (t.dtype !== 'float32' && t.dtype !== 'float64') data = Float32Array.from(t.data as ArrayLike<number>);
    weights.set(canonical, { dtype: t.dtype === 'float64' ? 'float64' : 'float32', shape: t.shape, data });
  }
  return weights;
}

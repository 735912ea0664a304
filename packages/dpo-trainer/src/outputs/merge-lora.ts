import { loraNames, type LoraConfig } from '@smart/models';
import type { TensorData } from '@smart/onnx-graph';

/** float32 copies of tensors (the engine may train in float64; checkpoints and exports are float32). */
export function toFloat32(tensors: ReadonlyMap<string, TensorData>): Map<string, TensorData> {
  const out = new Map<string, TensorData>();
  for (const [k, t] of tensors) out.set(k, t.dtype === 'float32' ? t : { dtype: 'float32', shape: t.shape, data: Float32Array.from(t.data as ArrayLike<number>) });
  return out;
}

/** Base weights with each LoRA pair folded in: W' = W + (alpha / r)·B·A (Hu et al. 2021, eq. 3; PEFT `merge_and_unload`). */
export function mergeLora(base: ReadonlyMap<string, TensorData>, adapters: ReadonlyMap<string, TensorData>, lora: LoraConfig): Map<string, TensorData> {
  const out = new Map(base);
  const scale = lora.alpha / lora.rank;
  for (const [name, w] of base) {
    if (!name.endsWith('.weight')) continue;
    const names = loraNames(name.slice(0, -'.weight'.length));
    const a = adapters.get(names.a);
    const b = adapters.get(names.b);
    if (!a || !b) continue;
    const [outDim, inDim] = w.shape as [number, number];
    const r = a.shape[0]!;
    const A = a.data as ArrayLike<number>; // [r, in]
    const B = b.data as ArrayLike<number>; // [out, r]
    const W = Float32Array.from(w.data as ArrayLike<number>); // [out, in]
    for (let o = 0; o < outDim; o++)
      for (let k = 0; k < r; k++) {
        const bk = scale * B[o * r + k]!;
        if (bk === 0) continue;
        for (let i = 0; i < inDim; i++) W[o * inDim + i]! += bk * A[k * inDim + i]!;
      }
    out.set(name, { dtype: 'float32', shape: w.shape, data: W });
  }
  return out;
}

import { add, matmul, mul, transpose, type Value } from '@smart/onnx-graph';
import type { WeightLookup } from './weights';

/**
 * y = x·Wᵀ + b for an HF Linear (`<prefix>.weight` [out, in], optional `<prefix>.bias` [out]), plus
 * the LoRA term (alpha/r)·(x·Aᵀ)·Bᵀ when the lookup carries adapters for this layer.
 */
export function linear(w: WeightLookup, prefix: string, x: Value, bias: boolean): Value {
  let y = matmul(x, transpose(w(`${prefix}.weight`), [1, 0])); // [..., out]
  const adapter = w.lora?.(prefix);
  if (adapter) y = add(y, mul(matmul(matmul(x, transpose(adapter.a, [1, 0])), transpose(adapter.b, [1, 0])), adapter.scale));
  return bias ? add(y, w(`${prefix}.bias`)) : y;
}

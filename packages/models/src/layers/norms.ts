import { layerNorm, rmsNorm, type Value } from '@smart/onnx-graph';
import type { WeightLookup } from './weights';

/** HF LlamaRMSNorm / Qwen2RMSNorm at `<prefix>.weight` (Zhang & Sennrich 2019): x / rms(x) · γ. */
export function rmsNormLayer(w: WeightLookup, prefix: string, x: Value, eps: number): Value {
  return rmsNorm(x, w(`${prefix}.weight`), eps);
}

/** HF nn.LayerNorm at `<prefix>.weight` / `<prefix>.bias` (Ba et al. 2016). */
export function layerNormLayer(w: WeightLookup, prefix: string, x: Value, eps: number): Value {
  return layerNorm(x, w(`${prefix}.weight`), w(`${prefix}.bias`), { epsilon: eps });
}

import { mul, type Value } from '@smart/onnx-graph';
import { activation } from './activation';
import { linear } from './linear';
import type { WeightLookup } from './weights';

/** SwiGLU MLP of Llama/Qwen2 (Shazeer 2020): down(act(gate(x)) ⊙ up(x)), no biases; x [.., H] → [.., H]. */
export function gatedMlp(w: WeightLookup, prefix: string, x: Value, act: string): Value {
  const gate = activation(act, linear(w, `${prefix}.gate_proj`, x, false)); // [.., I]
  return linear(w, `${prefix}.down_proj`, mul(gate, linear(w, `${prefix}.up_proj`, x, false)), false);
}

/** ViT MLP (CLIP/SigLIP): fc2(act(fc1(x))) with biases; x [.., D] → [.., D]. */
export function vitMlp(w: WeightLookup, prefix: string, x: Value, act: string): Value {
  return linear(w, `${prefix}.fc2`, activation(act, linear(w, `${prefix}.fc1`, x, true)), true);
}


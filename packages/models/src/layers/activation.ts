import { gelu, mul, sigmoid, type Value } from '@smart/onnx-graph';

/** Activation functions by their HF names. */
export function activation(name: string, x: Value): Value {
  switch (name) {
    case 'silu':
      return mul(x, sigmoid(x));
    case 'quick_gelu':
      // CLIP's x·σ(1.702x) (Radford et al. 2021).
      return mul(x, sigmoid(mul(x, 1.702)));
    case 'gelu':
      return gelu(x, 'exact');
    case 'gelu_pytorch_tanh':
    case 'gelu_new':
      return gelu(x, 'tanh');
    default:
      throw new Error(`unknown activation '${name}'`);
  }
}

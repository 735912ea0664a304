import { Value } from '../graph';
import { add, erf, mul, tanh } from './elementwise';

/** GELU from primitives (ai.onnx Gelu only exists from opset 20): 'exact' uses erf, 'tanh' the approximation. */
export function gelu(x: Value, approximate: 'exact' | 'tanh' = 'exact'): Value {
  if (approximate === 'exact') return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
  // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
  const inner = mul(add(x, mul(mul(mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
  return mul(mul(x, 0.5), add(tanh(inner), 1));
}

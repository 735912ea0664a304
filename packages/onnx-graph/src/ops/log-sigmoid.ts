import { Value } from '../graph';
import { add, mul, neg, relu, sigmoid } from './elementwise';

function unaryNode(opType: string, x: Value): Value {
  return x.graph.emit(opType, [x], {}, (ctx) => {
    ctx.dtype(x, 'float');
    return [{ dtype: x.dtype, shape: x.shape }];
  })[0]!;
}

/**
 * softplus(x) = ln(1 + eˣ), computed as max(x, 0) + ln(1 + e^−|x|) so it neither overflows nor loses x at
 * large |x| (ORT's float64 Softplus overflows to ∞ at x = 800). Gradient rule: d/dx softplus(x) = σ(x).
 */
export function softplus(x: Value): Value {
  const y = add(relu(x), unaryNode('Softplus', neg(unaryNode('Abs', x)))); // Softplus of a value ≤ 0 is in (0, ln 2]
  y.customGradient = { inputs: [x], rule: (dy) => [mul(dy, sigmoid(x))] };
  return y;
}

/**
 * log σ(x) = −softplus(−x). Its gradient is σ(−x), 0.5 at x = 0 where DPO starts; log σ built from Relu/Abs
 * has gradient exactly 0 there, because Relu's rule tests `output > 0`.
 */
export function logSigmoid(x: Value): Value {
  return neg(softplus(neg(x)));
}

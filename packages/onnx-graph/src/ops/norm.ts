import { Value, attr } from '../graph';
import type { GradRule } from '../grad-rule';
import { add, mul, reciprocal, sqrt, sub } from './elementwise';
import { reduceMean, sumToShape } from './reduce';

/** LayerNormalization over axes [axis, rank): y = (x − μ)/√(σ² + ε) · scale + bias. */
export function layerNorm(x: Value, scale: Value, bias?: Value, opts: { axis?: number; epsilon?: number } = {}, name?: string): Value {
  const { axis = -1, epsilon = 1e-5 } = opts;
  const attrs = { axis: attr.int(axis), epsilon: attr.float(epsilon) };
  return x.graph.emit('LayerNormalization', bias ? [x, scale, bias] : [x, scale], attrs, (ctx) => {
    ctx.dtype(x, 'float');
    ctx.same(...(bias ? [x, scale, bias] : [x, scale]));
    const a = ctx.axis(axis, x.rank);
    const tail = x.shape.slice(a);
    const check = (p: Value) => {
      if (p.rank > tail.length) ctx.fail(`'${p.name}' has rank ${p.rank}, normalized axes have rank ${tail.length}`);
      p.shape.forEach((d, i) => {
        const t = tail[tail.length - p.rank + i];
        if (typeof d === 'number' && typeof t === 'number' && d !== t && d !== 1) ctx.fail(`'${p.name}' dim ${d} does not match ${t}`);
      });
    };
    check(scale);
    if (bias) check(bias);
    return [{ dtype: x.dtype, shape: x.shape }];
  }, { name })[0]!;
}

/** RMS norm over the last axis: x / √(mean(x²) + ε) · weight (Llama/Qwen2), built from primitives. */
export function rmsNorm(x: Value, weight: Value, epsilon = 1e-6): Value {
  const r = reciprocal(sqrt(add(reduceMean(mul(x, x), [-1], true), epsilon)));
  return mul(mul(x, r), weight);
}

/** Gradient rule of LayerNormalization (training.md): dx = r·(g − mean(g) − x̂·mean(g·x̂)), g = dy·γ. */
export const normGradRules: Record<string, GradRule> = {
  LayerNormalization: ({ node, inputs, dOut, needs }) => {
    const [x, scale, bias] = inputs as [Value, Value, Value | undefined];
    const dy = dOut[0]!;
    const a = ((node.attrs['axis']?.value as number) + x.rank) % x.rank;
    const eps = (node.attrs['epsilon']?.value as number) ?? 1e-5;
    const axes = Array.from({ length: x.rank - a }, (_, i) => a + i);
    const xc = sub(x, reduceMean(x, axes, true));
    const r = reciprocal(sqrt(add(reduceMean(mul(xc, xc), axes, true), eps)));
    const xhat = mul(xc, r);
    const g = mul(dy, scale);
    const dx = needs[0] ? mul(r, sub(sub(g, reduceMean(g, axes, true)), mul(xhat, reduceMean(mul(g, xhat), axes, true)))) : undefined;
    const dscale = needs[1] ? sumToShape(mul(dy, xhat), scale) : undefined;
    const dbias = bias && needs[2] ? sumToShape(dy, bias) : undefined;
    return [dx, dscale, dbias];
  },
};

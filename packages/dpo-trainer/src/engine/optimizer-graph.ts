import { Graph, adamw, clipGradNorm, mul, reduceSum, sqrt, sum, type Value } from '@smart/onnx-graph';
import type { OptimizerOptions } from './types';
import { appliesWeightDecay } from './weight-decay';

/** A trainable tensor's name, shape and dtype. */
export interface ParamSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'float64';
}

/**
 * The optimizer artifact: clip the (accumulated) gradients to a global L2 norm, then one AdamW step.
 * Inputs: `lr`, `step` (1-based t) and per parameter `<p>`, `<p>.grad`, `<p>.m`, `<p>.v`;
 * outputs: `<p>.new`, `<p>.m.new`, `<p>.v.new` and `grad_norm` (the norm before clipping, as TRL logs it).
 */
export function buildOptimizerGraph(params: ParamSpec[], o: OptimizerOptions): Graph {
  const g = new Graph('optimizer');
  const sd = params[0]?.dtype ?? 'float32';
  const lr = g.input('lr', sd, []);
  const step = g.input('step', sd, []);
  const p = params.map((s) => ({
    spec: s,
    param: g.input(s.name, s.dtype, s.shape),
    grad: g.input(`${s.name}.grad`, s.dtype, s.shape),
    m: g.input(`${s.name}.m`, s.dtype, s.shape),
    v: g.input(`${s.name}.v`, s.dtype, s.shape),
  }));
  let grads: Value[] = p.map((x) => x.grad);
  if (o.maxGradNorm && o.maxGradNorm > 0) {
    const c = clipGradNorm(grads, o.maxGradNorm);
    grads = c.grads;
    g.output(c.norm, 'grad_norm');
  } else {
    g.output(sqrt(sum(grads.map((d) => reduceSum(mul(d, d), undefined, false)))), 'grad_norm'); // logged either way
  }
  const common = { beta1: o.beta1, beta2: o.beta2, eps: o.epsilon };
  p.forEach((x, i) => {
    const weightDecay = appliesWeightDecay(x.spec.name) ? o.weightDecay : 0;
    const [u] = adamw([{ param: x.param, grad: grads[i]!, m: x.m, v: x.v }], lr, step, { ...common, weightDecay });
    g.output(u!.param, `${x.spec.name}.new`);
    g.output(u!.m, `${x.spec.name}.m.new`);
    g.output(u!.v, `${x.spec.name}.v.new`);
  });
  return g;
}

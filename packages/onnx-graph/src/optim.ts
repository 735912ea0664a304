import { Graph, Value } from './graph';
import { grad } from './autodiff';
import { add, cast, div, less, mul, pow, sqrt, sub, sum, where } from './ops/elementwise';
import { reduceSum } from './ops/reduce';
import { GraphBuildError } from './errors';

/** AdamW hyper-parameters (torch.optim.AdamW defaults). */
export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/** One parameter's tensors for an AdamW update. */
export interface AdamWState {
  param: Value;
  grad: Value;
  /** First moment (exp_avg). */
  m: Value;
  /** Second moment (exp_avg_sq). */
  v: Value;
}

const like = (x: Value, ref: Value) => (x.dtype === ref.dtype ? x : cast(x, ref.dtype));

/**
 * AdamW (Loshchilov & Hutter) in torch.optim.AdamW's operation order: decoupled decay p·(1 − lr·wd),
 * then p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε). `lr` and `step` (1-based) are scalar tensors.
 */
export function adamw(states: AdamWState[], lr: Value, step: Value, options: AdamWOptions = {}): { param: Value; m: Value; v: Value }[] {
  const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.01 } = options;
  return states.map(({ param: p, grad: g, m, v }) => {
    const lrP = like(lr, p);
    const t = like(step, p);
    const decayed = weightDecay === 0 ? p : mul(p, sub(1, mul(lrP, weightDecay)));
    const m1 = add(mul(m, beta1), mul(g, 1 - beta1));
    const v1 = add(mul(v, beta2), mul(mul(g, g), 1 - beta2));
    const bc1 = sub(1, pow(p.graph.scalar(beta1, p.dtype), t));
    const bc2 = sub(1, pow(p.graph.scalar(beta2, p.dtype), t));
    const denom = add(div(sqrt(v1), sqrt(bc2)), eps);
    return { param: sub(decayed, mul(div(lrP, bc1), div(m1, denom))), m: m1, v: v1 };
  });
}

/** SGD hyper-parameters (torch.optim.SGD, dampening 0). */
export interface SgdOptions {
  momentum?: number;
  weightDecay?: number;
}

/** SGD with optional momentum (pass `buf`, zeros at the first step) and L2 weight decay. */
export function sgd(states: { param: Value; grad: Value; buf?: Value }[], lr: Value, options: SgdOptions = {}): { param: Value; buf?: Value }[] {
  const { momentum = 0, weightDecay = 0 } = options;
  return states.map(({ param: p, grad: g0, buf }) => {
    const g = weightDecay === 0 ? g0 : add(g0, mul(p, weightDecay));
    if (momentum !== 0 && !buf) throw new GraphBuildError(`sgd: momentum needs a buffer for '${p.name}'`);
    const b = momentum === 0 ? undefined : add(mul(buf!, momentum), g);
    return { param: sub(p, mul(like(lr, p), b ?? g)), buf: b };
  });
}

/** Global L2 norm of all gradients and the gradients scaled by min(1, maxNorm / (norm + 1e-6)), as torch's clip_grad_norm_. */
export function clipGradNorm(grads: Value[], maxNorm: number): { grads: Value[]; norm: Value } {
  const sq = grads.map((g) => like(reduceSum(mul(g, g), undefined, false), grads[0]!));
  const norm = sqrt(sum(sq));
  const coef = div(maxNorm, add(norm, 1e-6));
  const clamped = where(less(coef, 1), coef, 1);
  return { grads: grads.map((g) => mul(g, like(clamped, g))), norm };
}

/** Options of trainingStep. */
export interface TrainingStepOptions extends AdamWOptions {
  optimizer?: 'adamw' | 'sgd';
  /** Global-norm clipping threshold (no clipping when omitted). */
  maxGradNorm?: number;
  momentum?: number;
  /** dtype of the lr and step inputs (default: the loss dtype). */
  scalarDType?: 'float32' | 'float64';
}

/** The inputs and outputs trainingStep added, by role. */
export interface TrainingStepIO {
  lr: Value;
  step?: Value;
  /** Per parameter: optimizer state inputs (m, v for AdamW; buf for SGD with momentum). */
  stateInputs: Record<string, Value[]>;
  /** Per parameter: updated parameter then updated states, all graph outputs. */
  updated: Record<string, Value[]>;
  gradNorm?: Value;
}

/**
 * Fuses backward and the optimizer into `graph`, so one `session.run` is one training step.
 * Inputs added: `lr`, `step` (AdamW), and per parameter `<name>.m`/`<name>.v` (or `<name>.buf`);
 * outputs added: `<name>.new`, `<name>.m.new`, `<name>.v.new`, and `grad_norm` when clipping.
 */
export function trainingStep(graph: Graph, loss: Value, params: Value[], options: TrainingStepOptions = {}): TrainingStepIO {
  const { optimizer = 'adamw', maxGradNorm, momentum = 0 } = options;
  const sd = options.scalarDType ?? (loss.dtype === 'float64' ? 'float64' : 'float32');
  let grads = grad(graph, loss, params);
  let gradNorm: Value | undefined;
  if (maxGradNorm !== undefined) {
    const c = clipGradNorm(grads, maxGradNorm);
    grads = c.grads;
    gradNorm = graph.output(c.norm, 'grad_norm');
  }
  const lr = graph.input('lr', sd, []);
  const stateInputs: Record<string, Value[]> = {};
  const updated: Record<string, Value[]> = {};
  if (optimizer === 'adamw') {
    const step = graph.input('step', sd, []);
    const states = params.map((p, i) => {
      const m = graph.input(`${p.name}.m`, p.dtype, p.shape);
      const v = graph.input(`${p.name}.v`, p.dtype, p.shape);
      stateInputs[p.name] = [m, v];
      return { param: p, grad: grads[i]!, m, v };
    });
    adamw(states, lr, step, options).forEach((u, i) => {
      const n = params[i]!.name;
      updated[n] = [graph.output(u.param, `${n}.new`), graph.output(u.m, `${n}.m.new`), graph.output(u.v, `${n}.v.new`)];
    });
    return { lr, step, stateInputs, updated, gradNorm };
  }
  const states = params.map((p, i) => {
    const buf = momentum ? graph.input(`${p.name}.buf`, p.dtype, p.shape) : undefined;
    stateInputs[p.name] = buf ? [buf] : [];
    return { param: p, grad: grads[i]!, buf };
  });
  sgd(states, lr, { momentum, weightDecay: options.weightDecay ?? 0 }).forEach((u, i) => {
    const n = params[i]!.name;
    updated[n] = [graph.output(u.param, `${n}.new`), ...(u.buf ? [graph.output(u.buf, `${n}.buf.new`)] : [])];
  });
  return { lr, stateInputs, updated, gradNorm };
}

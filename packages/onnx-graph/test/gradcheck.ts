// Test helper (not part of the library build): finite-difference gradient checks on ORT's CPU provider.
import { createRng } from '@smart/core';
import * as ort from 'onnxruntime-node';
import { Graph, Value } from '../src/graph';
import { grad } from '../src/autodiff';
import { mul } from '../src/ops/elementwise';
import { reduceSum } from '../src/ops/reduce';
import { serializeModel } from '../src/serialize';
import { DType, TensorArray } from '../src/dtype';

/** Deterministic uniform [lo, hi) draws from @smart/core's seeded stream (test-only dependency). */
export function rng(seed: number): (lo?: number, hi?: number) => number {
  const stream = createRng(seed);
  return (lo = -1, hi = 1) => lo + (hi - lo) * stream.next();
}

/** Random float64 data for a static shape. */
export function randn(rand: ReturnType<typeof rng>, shape: number[], lo = -1, hi = 1): Float64Array {
  return Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rand(lo, hi));
}

/** Creates an ORT CPU session for a graph. */
export async function session(g: Graph): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(serializeModel(g).model, { executionProviders: ['cpu'], graphOptimizationLevel: 'disabled' });
}

type OrtType = 'float32' | 'float64' | 'int64' | 'int32' | 'bool' | 'float16';
const ORT_TYPE: Partial<Record<DType, OrtType>> = { float32: 'float32', float64: 'float64', int64: 'int64', int32: 'int32', bool: 'bool', float16: 'float16' };

/** Wraps data as an ORT tensor (tools/jest/ort-environment.js shares typed-array constructors with ORT). */
export function tensor(dtype: DType, data: TensorArray, shape: number[]): ort.Tensor {
  return new ort.Tensor(ORT_TYPE[dtype]!, data as Float64Array, shape);
}

export interface CheckInput {
  value: Value;
  data: TensorArray;
  shape: number[];
  /** Differentiate w.r.t. this input (default: float inputs). */
  wrt?: boolean;
}

/**
 * Builds loss = Σ y·R (R random, fixed), differentiates it w.r.t. the float inputs and returns the
 * largest |analytic − central difference| / (atol + rtol·|fd|) ratio (≤ 1 passes).
 */
export async function gradCheck(g: Graph, inputs: CheckInput[], y: Value, opts: { seed?: number; h?: number; rtol?: number; atol?: number } = {}): Promise<number> {
  const { seed = 7, h = 1e-6, rtol = 1e-6, atol = 1e-8 } = opts;
  const rand = rng(seed);
  const yShape = y.shape.map((d) => (typeof d === 'number' ? d : 0));
  const r = g.constant(y.dtype, yShape, y.dtype === 'float32' ? Float32Array.from(randn(rand, yShape)) : randn(rand, yShape));
  const loss = g.output(reduceSum(mul(y, r), undefined, false), 'loss');
  const targets = inputs.filter((i) => i.wrt ?? (i.value.dtype === 'float64' || i.value.dtype === 'float32'));
  const grads = grad(g, loss, targets.map((t) => t.value));
  grads.forEach((d, i) => g.output(d, `grad_${i}`));
  const sess = await session(g);
  const feeds = (over?: { k: number; data: TensorArray }) =>
    Object.fromEntries(inputs.map((inp, k) => [inp.value.name, tensor(inp.value.dtype, over?.k === k ? over.data : inp.data, inp.shape)]));
  const res = await sess.run(feeds());
  let worst = 0;
  for (const [ti, t] of targets.entries()) {
    const k = inputs.indexOf(t);
    const analytic = res[`grad_${ti}`]!.data as Float64Array;
    for (let e = 0; e < t.data.length; e++) {
      const plus = t.data.slice() as Float64Array;
      const minus = t.data.slice() as Float64Array;
      plus[e]! += h;
      minus[e]! -= h;
      const lp = Number((await sess.run(feeds({ k, data: plus }), ['loss']))['loss']!.data[0]);
      const lm = Number((await sess.run(feeds({ k, data: minus }), ['loss']))['loss']!.data[0]);
      const fd = (lp - lm) / (2 * h);
      worst = Math.max(worst, Math.abs(analytic[e]! - fd) / (atol + rtol * Math.abs(fd)));
    }
  }
  await sess.release();
  return worst;
}

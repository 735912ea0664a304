import type { TensorData } from '@smart/onnx-graph';
import type { TensorSpec } from './tensor-spec';

/** mulberry32: a small, fast, seedable uniform generator in [0, 1) (weights only need reproducibility). */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Options of random weights. */
export interface RandomWeightsOptions {
  seed: number;
  /** Standard deviation of matrix entries (HF's `initializer_range`, default 0.02). */
  std?: number;
  dtype?: 'float32' | 'float64';
}

/**
 * Random weights for every tensor in `specs`, deterministic from `seed`: matrices ~ N(0, std²),
 * norm scales 1 + small noise, biases small noise — non-trivial everywhere so tests catch a wrong bias or scale.
 */
export function randomWeights(specs: readonly TensorSpec[], options: RandomWeightsOptions): Map<string, TensorData> {
  const rand = seededUniform(options.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const std = options.std ?? 0.02;
  const dtype = options.dtype ?? 'float32';
  const out = new Map<string, TensorData>();
  for (const spec of specs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const data = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
    const isNorm = /norm|layrnorm|layer_norm/.test(spec.name) && spec.name.endsWith('.weight');
    const isBias = spec.name.endsWith('.bias');
    for (let i = 0; i < n; i++) data[i] = isNorm ? 1 + 0.1 * normal() : isBias ? 0.02 * normal() : std * normal();
    out.set(spec.name, { dtype, shape: spec.shape, data });
  }
  return out;
}

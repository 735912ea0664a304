import { createRng } from '@smart/core';
import type { TensorData } from '@smart/onnx-graph';
import type { TensorSpec } from './tensor-spec';

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
  const rng = createRng(options.seed).stream('weights');
  const normal = () => rng.normal();
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

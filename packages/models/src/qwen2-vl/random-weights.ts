import type { TensorData } from '@smart/onnx-graph';
import { randomWeights, type RandomWeightsOptions } from '../weights/random-weights';
import type { Qwen2VlConfig } from './qwen2-vl-config';
import { qwen2VlTensorSpecs } from './tensor-names';

/** Random weights for every tensor of a Qwen2-VL `config`, deterministic from `seed` (see randomWeights). */
export function randomQwen2VlWeights(config: Qwen2VlConfig, options: RandomWeightsOptions): Map<string, TensorData> {
  return randomWeights(qwen2VlTensorSpecs(config), options);
}

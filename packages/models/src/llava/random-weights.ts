import type { TensorData } from '@smart/onnx-graph';
import { randomWeights, type RandomWeightsOptions } from '../weights/random-weights';
import type { LlavaConfig } from './llava-config';
import { llavaTensorSpecs } from './tensor-names';

/** Random weights for every tensor of a LLaVA `config`, deterministic from `seed` (see randomWeights). */
export function randomLlavaWeights(config: LlavaConfig, options: RandomWeightsOptions): Map<string, TensorData> {
  return randomWeights(llavaTensorSpecs(config), options);
}

import { Graph, type TensorData } from '@smart/onnx-graph';
import type { GraphOptions, ModelForward, ModelTrunk } from '../family/model-family';
import { familyTrunk, forwardGraph, withLogits } from '../family/trunk';
import { mropeTables } from './mrope';
import type { Qwen2VlConfig } from './qwen2-vl-config';
import { QWEN2_VL_TEXT_PREFIXES } from './tensor-names';
import { visionFeatures } from './vision-tower';

/**
 * Declares input_ids, attention_mask [B, S], position_ids [3, B, S] (M-RoPE, from qwen2VlRopeIndex) and, for
 * `images: 'pixels'`, pixel_values [num_patches, C·T·p·p] + image_grid_thw [num_images, 3] (Qwen2VLImageProcessor's
 * output), or for `features` image_features [num_image_tokens, H]; computes final hidden states [B, S, H].
 */
export function qwen2VlTrunk(g: Graph, config: Qwen2VlConfig, weights: ReadonlyMap<string, TensorData>, options: GraphOptions = {}): ModelTrunk {
  return familyTrunk(g, weights, options, {
    text: config.text,
    prefixes: QWEN2_VL_TEXT_PREFIXES,
    imageTokenId: config.image_token_id,
    positionShape: [3, 'batch_size', 'sequence_length'],
    imageFeatures: (graph, w, mode, dtype) => {
      if (mode === 'features') return graph.input('image_features', dtype, ['num_image_tokens', config.text.hidden_size]);
      const pixels = graph.input('pixel_values', dtype, ['num_patches', config.vision.patch_dim]);
      const grid = graph.input('image_grid_thw', 'int64', ['num_images', 3]);
      return visionFeatures(w, config, pixels, grid); // [num_image_tokens, H]
    },
    rope: (positionIds, dtype) => mropeTables(config, positionIds, dtype),
  });
}

/** qwen2VlTrunk plus logits [B, S, V] at every position. */
export function qwen2VlForward(g: Graph, config: Qwen2VlConfig, weights: ReadonlyMap<string, TensorData>, options: GraphOptions = {}): ModelForward {
  return withLogits(qwen2VlTrunk(g, config, weights, options));
}

/** A graph with one output, `logits` [B, S, V]: the whole model in one session (scoring, tests). */
export function buildQwen2VlForward(config: Qwen2VlConfig, weights: ReadonlyMap<string, TensorData>, options: GraphOptions = {}) {
  return forwardGraph(qwen2VlForward(new Graph('qwen2_vl_forward'), config, weights, options));
}

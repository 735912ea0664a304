import { Graph, type TensorData } from '@smart/onnx-graph';
import type { LlavaConfig } from './llava-config';
import { LLAVA_TEXT_PREFIXES } from './tensor-names';
import { projector, visionFeatures } from './vision-tower';
import type { GraphOptions, ModelForward, ModelTrunk } from '../family/model-family';
import { familyTrunk, forwardGraph, withLogits } from '../family/trunk';

/** Options of the full-sequence LLaVA graphs. */
export type LlavaGraphOptions = GraphOptions;

/** The LLaVA forward pass inside a graph. */
export type LlavaForward = ModelForward;

/**
 * Declares input_ids, attention_mask, position_ids [B, S] (and pixel_values [B_img, 3, H, W]) and computes
 * the final hidden states [B, S, H]; image tokens take the projected image features in order.
 */
export function llavaTrunk(g: Graph, config: LlavaConfig, weights: ReadonlyMap<string, TensorData>, options: LlavaGraphOptions = {}): ModelTrunk {
  return familyTrunk(g, weights, options, {
    text: config.text,
    prefixes: LLAVA_TEXT_PREFIXES,
    imageTokenId: config.image_token_index,
    positionShape: ['batch_size', 'sequence_length'],
    imageFeatures: (graph, w, mode, dtype) => {
      if (mode === 'features') return graph.input('image_features', dtype, ['num_images', config.image_seq_length, config.text.hidden_size]);
      const s = config.vision.image_size;
      const pixels = graph.input('pixel_values', dtype, ['num_images', config.vision.num_channels, s, s]);
      return projector(w, config, visionFeatures(w, config, pixels)); // [B_img, N, H]
    },
  });
}

/** llavaTrunk plus logits [B, S, V] at every position. */
export function llavaForward(g: Graph, config: LlavaConfig, weights: ReadonlyMap<string, TensorData>, options: LlavaGraphOptions = {}): LlavaForward {
  return withLogits(llavaTrunk(g, config, weights, options));
}

/** A graph with one output, `logits` [B, S, V]: the whole model in one session (scoring, tests). */
export function buildLlavaForward(config: LlavaConfig, weights: ReadonlyMap<string, TensorData>, options: LlavaGraphOptions = {}) {
  return forwardGraph(llavaForward(new Graph('llava_forward'), config, weights, options));
}

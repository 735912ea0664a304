import { Graph, gather, type TensorData, type Value } from '@smart/onnx-graph';
import { decoderStack, lmHead } from '../decoder/text-decoder';
import type { GraphOptions, ModelForward, ModelTrunk } from '../family/model-family';
import { mergeImageFeatures } from '../layers/merge-image-features';
import { bindWeights } from '../layers/weights';
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
  const dtype = options.dtype ?? 'float32';
  const w = bindWeights(g, weights, {
    ...(options.trainable ? { trainable: options.trainable } : {}),
    ...(options.lora ? { lora: options.lora } : {}),
  });
  const inputIds = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const attentionMask = g.input('attention_mask', 'int64', ['batch_size', 'sequence_length']);
  const positionIds = g.input('position_ids', 'int64', [3, 'batch_size', 'sequence_length']);
  let embeds: Value = gather(w.get(`${QWEN2_VL_TEXT_PREFIXES.model}embed_tokens.weight`), inputIds, 0); // [B, S, H]
  const images = options.images ?? 'pixels';
  const H = config.text.hidden_size;
  if (images === 'pixels') {
    const pixels = g.input('pixel_values', dtype, ['num_patches', config.vision.patch_dim]);
    const grid = g.input('image_grid_thw', 'int64', ['num_images', 3]);
    const features = visionFeatures(w.get, config, pixels, grid); // [num_image_tokens, H]
    embeds = mergeImageFeatures(embeds, inputIds, features, config.image_token_id);
  } else if (images === 'features') {
    const features = g.input('image_features', dtype, ['num_image_tokens', H]);
    embeds = mergeImageFeatures(embeds, inputIds, features, config.image_token_id);
  }
  const rope = mropeTables(config, positionIds, dtype);
  const { hidden } = decoderStack(w.get, config.text, QWEN2_VL_TEXT_PREFIXES, { inputsEmbeds: embeds, attentionMask, rope }, dtype);
  return {
    graph: g,
    weights: w,
    inputIds,
    attentionMask,
    positionIds,
    hidden,
    head: (h) => lmHead(w.get, config.text, QWEN2_VL_TEXT_PREFIXES, h),
  };
}

/** qwen2VlTrunk plus logits [B, S, V] at every position. */
export function qwen2VlForward(g: Graph, config: Qwen2VlConfig, weights: ReadonlyMap<string, TensorData>, options: GraphOptions = {}): ModelForward {
  const t = qwen2VlTrunk(g, config, weights, options);
  return { ...t, logits: t.head(t.hidden) };
}

/** A graph with one output, `logits` [B, S, V]: the whole model in one session (scoring, tests). */
export function buildQwen2VlForward(config: Qwen2VlConfig, weights: ReadonlyMap<string, TensorData>, options: GraphOptions = {}) {
  const f = qwen2VlForward(new Graph('qwen2_vl_forward'), config, weights, options);
  f.graph.output(f.logits, 'logits');
  return { graph: f.graph, logits: f.logits, trainable: f.weights.trainable };
}

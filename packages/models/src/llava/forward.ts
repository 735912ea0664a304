import { Graph, gather, type TensorData, type Value } from '@smart/onnx-graph';
import type { LlavaConfig } from './llava-config';
import { LLAVA_TEXT_PREFIXES, PREFIX } from './tensor-names';
import { mergeImageFeatures } from '../layers/merge-image-features';
import { decoderStack, lmHead } from '../decoder/text-decoder';
import { projector, visionFeatures } from './vision-tower';
import { bindWeights } from '../layers/weights';
import type { GraphOptions, ModelForward, ModelTrunk } from '../family/model-family';

/** Options of the full-sequence LLaVA graphs. */
export type LlavaGraphOptions = GraphOptions;

/** The LLaVA forward pass inside a graph. */
export type LlavaForward = ModelForward;

/**
 * Declares input_ids, attention_mask, position_ids [B, S] (and pixel_values [B_img, 3, H, W]) and computes
 * the final hidden states [B, S, H]; image tokens take the projected image features in order.
 */
export function llavaTrunk(g: Graph, config: LlavaConfig, weights: ReadonlyMap<string, TensorData>, options: LlavaGraphOptions = {}): ModelTrunk {
  const dtype = options.dtype ?? 'float32';
  const w = bindWeights(g, weights, {
    ...(options.trainable ? { trainable: options.trainable } : {}),
    ...(options.lora ? { lora: options.lora } : {}),
  });
  const inputIds = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const attentionMask = g.input('attention_mask', 'int64', ['batch_size', 'sequence_length']);
  const positionIds = g.input('position_ids', 'int64', ['batch_size', 'sequence_length']);
  let embeds: Value = gather(w.get(`${PREFIX.text}embed_tokens.weight`), inputIds, 0); // [B, S, H]
  const images = options.images ?? 'pixels';
  if (images === 'pixels') {
    const s = config.vision.image_size;
    const pixels = g.input('pixel_values', dtype, ['num_images', config.vision.num_channels, s, s]);
    const features = projector(w.get, config, visionFeatures(w.get, config, pixels)); // [B_img, N, H]
    embeds = mergeImageFeatures(embeds, inputIds, features, config.image_token_index);
  } else if (images === 'features') {
    const features = g.input('image_features', dtype, ['num_images', config.image_seq_length, config.text.hidden_size]);
    embeds = mergeImageFeatures(embeds, inputIds, features, config.image_token_index);
  }
  const { hidden } = decoderStack(w.get, config.text, LLAVA_TEXT_PREFIXES, { inputsEmbeds: embeds, attentionMask, positionIds }, dtype);
  return {
    graph: g,
    weights: w,
    inputIds,
    attentionMask,
    positionIds,
    hidden,
    head: (h) => lmHead(w.get, config.text, LLAVA_TEXT_PREFIXES, h),
  };
}

/** llavaTrunk plus logits [B, S, V] at every position. */
export function llavaForward(g: Graph, config: LlavaConfig, weights: ReadonlyMap<string, TensorData>, options: LlavaGraphOptions = {}): LlavaForward {
  const t = llavaTrunk(g, config, weights, options);
  return { ...t, logits: t.head(t.hidden) };
}

/** A graph with one output, `logits` [B, S, V]: the whole model in one session (scoring, tests). */
export function buildLlavaForward(config: LlavaConfig, weights: ReadonlyMap<string, TensorData>, options: LlavaGraphOptions = {}) {
  const f = llavaForward(new Graph('llava_forward'), config, weights, options);
  f.graph.output(f.logits, 'logits');
  return { graph: f.graph, logits: f.logits, trainable: f.weights.trainable };
}

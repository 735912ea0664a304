import { Graph, gather, type Shape, type TensorData, type Value } from '@smart/onnx-graph';
import { decoderStack, lmHead, type TextWeightPrefixes } from '../decoder/text-decoder';
import type { TextConfig } from '../decoder/text-config';
import { mergeImageFeatures } from '../layers/merge-image-features';
import { bindWeights, type WeightLookup } from '../layers/weights';
import type { GraphOptions, ModelForward, ModelTrunk } from './model-family';

/** What a family's trunk adds to the shared text decoder: its tensor names, position ids, image inputs and RoPE. */
export interface TrunkParts {
  text: TextConfig;
  prefixes: TextWeightPrefixes;
  imageTokenId: number;
  /** Dims of `position_ids`: [B, S], or [3, B, S] for M-RoPE. */
  positionShape: Shape;
  /** Declares the image inputs of `mode` and returns their features [.., H] in image-token order. */
  imageFeatures(g: Graph, w: WeightLookup, mode: 'pixels' | 'features', dtype: 'float32' | 'float64'): Value;
  /** RoPE tables at the query positions (M-RoPE); without it the decoder takes 1-D `position_ids`. */
  rope?(positionIds: Value, dtype: 'float32' | 'float64'): { cos: Value; sin: Value };
}

/**
 * Declares input_ids, attention_mask [B, S] and position_ids, merges the image features (when `images` is not
 * `none`) over the image tokens, in order, and runs the decoder stack: final hidden states [B, S, H].
 */
export function familyTrunk(g: Graph, weights: ReadonlyMap<string, TensorData>, options: GraphOptions, parts: TrunkParts): ModelTrunk {
  const dtype = options.dtype ?? 'float32';
  const w = bindWeights(g, weights, {
    ...(options.trainable ? { trainable: options.trainable } : {}),
    ...(options.lora ? { lora: options.lora } : {}),
  });
  const inputIds = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const attentionMask = g.input('attention_mask', 'int64', ['batch_size', 'sequence_length']);
  const positionIds = g.input('position_ids', 'int64', parts.positionShape);
  let embeds: Value = gather(w.get(`${parts.prefixes.model}embed_tokens.weight`), inputIds, 0); // [B, S, H]
  const images = options.images ?? 'pixels';
  if (images !== 'none') embeds = mergeImageFeatures(embeds, inputIds, parts.imageFeatures(g, w.get, images, dtype), parts.imageTokenId);
  const rope = parts.rope?.(positionIds, dtype);
  const { hidden } = decoderStack(w.get, parts.text, parts.prefixes, { inputsEmbeds: embeds, attentionMask, ...(rope ? { rope } : { positionIds }) }, dtype);
  return {
    graph: g,
    weights: w,
    inputIds,
    attentionMask,
    positionIds,
    hidden,
    head: (h) => lmHead(w.get, parts.text, parts.prefixes, h),
  };
}

/** A trunk plus logits [B, S, V] at every position. */
export function withLogits(t: ModelTrunk): ModelForward {
  return { ...t, logits: t.head(t.hidden) };
}

/** A graph with one output, `logits` [B, S, V]: the whole model in one session (scoring, tests). */
export function forwardGraph(forward: ModelForward) {
  forward.graph.output(forward.logits, 'logits');
  return { graph: forward.graph, logits: forward.logits, trainable: forward.weights.trainable };
}

import { Graph, gather, type TensorData, type Value } from '@smart/onnx-graph';
import type { LlavaConfig } from '../config/llava-config';
import { PREFIX } from '../weights/tensor-names';
import type { LoraConfig } from './lora';
import { mergeImageFeatures } from './merge-image-features';
import { decoderStack, lmHead } from './text-decoder';
import { projector, visionFeatures } from './vision-tower';
import { bindWeights, type BoundWeights } from './weights';

/** Options of the full-sequence LLaVA graphs. */
export interface LlavaGraphOptions {
  dtype?: 'float32' | 'float64';
  /** Names of weights that become graph inputs (trained) instead of initializers (frozen). */
  trainable?: (name: string) => boolean;
  /** LoRA adapters on the language model; the adapters become the graph's trainable inputs. */
  lora?: { config: LoraConfig; adapters: ReadonlyMap<string, TensorData> };
  /**
   * How images enter: `pixels` runs the vision tower and projector on `pixel_values` [B_img, 3, H, W];
   * `features` takes precomputed projector outputs `image_features` [B_img, N, H] (a frozen tower's
   * output cached once per image); `none` for text-only batches. Default `pixels`.
   */
  images?: 'pixels' | 'features' | 'none';
}

/** The forward pass inside a graph: inputs declared, logits computed, nothing marked as output. */
export interface LlavaForward {
  graph: Graph;
  weights: BoundWeights;
  inputIds: Value; // [B, S] int64
  attentionMask: Value; // [B, S] int64
  positionIds: Value; // [B, S] int64
  logits: Value; // [B, S, V]
}

/**
 * Declares input_ids, attention_mask, position_ids [B, S] (and pixel_values [B_img, 3, H, W]) and computes
 * logits [B, S, V]; image tokens take the projected image features in order.
 */
export function llavaForward(g: Graph, config: LlavaConfig, weights: ReadonlyMap<string, TensorData>, options: LlavaGraphOptions = {}): LlavaForward {
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
  const { hidden } = decoderStack(w.get, config.text, { inputsEmbeds: embeds, attentionMask, positionIds }, dtype);
  return {
    graph: g,
    weights: w,
    inputIds,
    attentionMask,
    positionIds,
    logits: lmHead(w.get, config.text, hidden),
  };
}

/** A graph with one output, `logits` [B, S, V]: the whole model in one session (scoring, tests). */
export function buildLlavaForward(config: LlavaConfig, weights: ReadonlyMap<string, TensorData>, options: LlavaGraphOptions = {}) {
  const f = llavaForward(new Graph('llava_forward'), config, weights, options);
  f.graph.output(f.logits, 'logits');
  return { graph: f.graph, logits: f.logits, trainable: f.weights.trainable };
}

import { Graph, gather, type TensorData } from '@smart/onnx-graph';
import { decoderStack, lmHead } from '../decoder/text-decoder';
import type { InferenceGraphs } from '../family/model-family';
import type { KvCache } from '../layers/attention';
import { lastPositions } from '../layers/last-positions';
import { bindWeights } from '../layers/weights';
import { mropeTables } from './mrope';
import type { Qwen2VlConfig } from './qwen2-vl-config';
import { QWEN2_VL_TEXT_PREFIXES } from './tensor-names';
import { visionFeatures } from './vision-tower';

/** embed_tokens: input_ids int64 [batch_size, sequence_length] → inputs_embeds [B, S, H]. */
export function buildQwen2VlEmbedTokens(weights: ReadonlyMap<string, TensorData>): Graph {
  const g = new Graph('embed_tokens');
  const w = bindWeights(g, weights);
  const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  g.output(gather(w.get(`${QWEN2_VL_TEXT_PREFIXES.model}embed_tokens.weight`), ids, 0), 'inputs_embeds');
  return g;
}

/**
 * vision_encoder as transformers.js 4.3.1 runs it (`Qwen2VLForConditionalGeneration.encode_image`): pixel_values f32
 * [num_patches, C·T·p·p] and grid_thw int64 [num_images, 3] → image_features [num_patches / m², H_text].
 */
export function buildQwen2VlVisionEncoder(config: Qwen2VlConfig, weights: ReadonlyMap<string, TensorData>): Graph {
  const g = new Graph('vision_encoder');
  const w = bindWeights(g, weights);
  const pixels = g.input('pixel_values', 'float32', ['num_patches', config.vision.patch_dim]);
  const grid = g.input('grid_thw', 'int64', ['num_images', 3]);
  g.output(visionFeatures(w.get, config, pixels, grid), 'image_features');
  return g;
}

/**
 * decoder_model_merged: inputs_embeds [B, S, H], attention_mask [B, past + S], position_ids [3, B, S] (M-RoPE),
 * past_key_values.{i}.key/value [B, kv_heads, past, head_dim], num_logits_to_keep (0 = all)
 * → logits [B, k, V], present.{i}.key/value [B, kv_heads, past + S, head_dim].
 */
export function buildQwen2VlDecoder(config: Qwen2VlConfig, weights: ReadonlyMap<string, TensorData>): Graph {
  const c = config.text;
  const g = new Graph('decoder_model_merged');
  const w = bindWeights(g, weights);
  const embeds = g.input('inputs_embeds', 'float32', ['batch_size', 'sequence_length', c.hidden_size]);
  const attentionMask = g.input('attention_mask', 'int64', ['batch_size', 'total_sequence_length']);
  const positionIds = g.input('position_ids', 'int64', [3, 'batch_size', 'sequence_length']);
  const past: KvCache[] = [];
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const shape = ['batch_size', c.num_key_value_heads, 'past_sequence_length', c.head_dim];
    past.push({ key: g.input(`past_key_values.${i}.key`, 'float32', shape), value: g.input(`past_key_values.${i}.value`, 'float32', shape) });
  }
  const keep = g.input('num_logits_to_keep', 'int64', []);
  const rope = mropeTables(config, positionIds, 'float32');
  const { hidden, present } = decoderStack(w.get, c, QWEN2_VL_TEXT_PREFIXES, { inputsEmbeds: embeds, attentionMask, rope, past }, 'float32');
  g.output(lmHead(w.get, c, QWEN2_VL_TEXT_PREFIXES, lastPositions(hidden, keep)), 'logits');
  present.forEach((kv, i) => {
    g.output(kv.key, `present.${i}.key`);
    g.output(kv.value, `present.${i}.value`);
  });
  return g;
}

/** All three transformers.js graphs of a Qwen2-VL model. */
export function buildQwen2VlInferenceGraphs(config: Qwen2VlConfig, weights: ReadonlyMap<string, TensorData>): InferenceGraphs {
  return {
    embedTokens: buildQwen2VlEmbedTokens(weights),
    visionEncoder: buildQwen2VlVisionEncoder(config, weights),
    decoder: buildQwen2VlDecoder(config, weights),
  };
}

import { Graph, gather, type TensorData } from '@smart/onnx-graph';
import { lastPositions } from '../layers/last-positions';
import type { LlavaConfig } from './llava-config';
import { LLAVA_TEXT_PREFIXES, PREFIX } from './tensor-names';
import { decoderStack, lmHead } from '../decoder/text-decoder';
import type { KvCache } from '../layers/attention';
import { projector, visionFeatures } from './vision-tower';
import { bindWeights } from '../layers/weights';
import type { InferenceGraphs } from '../family/model-family';

/** embed_tokens: input_ids int64 [batch_size, sequence_length] → inputs_embeds [B, S, H]. */
export function buildEmbedTokens(weights: ReadonlyMap<string, TensorData>): Graph {
  const g = new Graph('embed_tokens');
  const w = bindWeights(g, weights);
  const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  g.output(gather(w.get(`${PREFIX.text}embed_tokens.weight`), ids, 0), 'inputs_embeds'); // [B, S, H]
  return g;
}

/** vision_encoder: pixel_values f32 [batch_size, 3, H, W] → image_features [B, N, H_text]. */
export function buildVisionEncoder(config: LlavaConfig, weights: ReadonlyMap<string, TensorData>): Graph {
  const g = new Graph('vision_encoder');
  const w = bindWeights(g, weights);
  const s = config.vision.image_size;
  const pixels = g.input('pixel_values', 'float32', ['batch_size', config.vision.num_channels, s, s]);
  g.output(projector(w.get, config, visionFeatures(w.get, config, pixels)), 'image_features');
  return g;
}

/**
 * decoder_model_merged: inputs_embeds [B, S, H], attention_mask [B, past + S], position_ids [B, S],
 * past_key_values.{i}.key/value [B, kv_heads, past, head_dim], num_logits_to_keep (0 = all)
 * → logits [B, k, V], present.{i}.key/value [B, kv_heads, past + S, head_dim].
 */
export function buildDecoder(config: LlavaConfig, weights: ReadonlyMap<string, TensorData>): Graph {
  const c = config.text;
  const g = new Graph('decoder_model_merged');
  const w = bindWeights(g, weights);
  const embeds = g.input('inputs_embeds', 'float32', ['batch_size', 'sequence_length', c.hidden_size]);
  const attentionMask = g.input('attention_mask', 'int64', ['batch_size', 'total_sequence_length']);
  const positionIds = g.input('position_ids', 'int64', ['batch_size', 'sequence_length']);
  const past: KvCache[] = [];
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const shape = ['batch_size', c.num_key_value_heads, 'past_sequence_length', c.head_dim];
    past.push({
      key: g.input(`past_key_values.${i}.key`, 'float32', shape),
      value: g.input(`past_key_values.${i}.value`, 'float32', shape),
    });
  }
  const keep = g.input('num_logits_to_keep', 'int64', []);
  const { hidden, present } = decoderStack(w.get, c, LLAVA_TEXT_PREFIXES, { inputsEmbeds: embeds, attentionMask, positionIds, past }, 'float32');
  g.output(lmHead(w.get, c, LLAVA_TEXT_PREFIXES, lastPositions(hidden, keep)), 'logits');
  present.forEach((kv, i) => {
    g.output(kv.key, `present.${i}.key`);
    g.output(kv.value, `present.${i}.value`);
  });
  return g;
}

/** All three inference graphs of a model. */
export function buildInferenceGraphs(config: LlavaConfig, weights: ReadonlyMap<string, TensorData>): InferenceGraphs {
  return {
    embedTokens: buildEmbedTokens(weights),
    visionEncoder: buildVisionEncoder(config, weights),
    decoder: buildDecoder(config, weights),
  };
}

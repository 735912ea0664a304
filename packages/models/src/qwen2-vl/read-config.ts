import { TextConfigSchema } from '../decoder/text-config';
import { ConfigError } from '../errors';
import { checkModelType, readConfigJson, zodToConfigError } from '../family/config-json';
import { completeQwen2VlConfig, QWEN2_VL_MODEL_TYPES, Qwen2VlConfigSchema, qwen2VlTextJson, type Qwen2VlConfig } from './qwen2-vl-config';

/** Validates a parsed Qwen2-VL config.json object (the published files unedited); `file` names it in errors. */
export function parseQwen2VlConfig(json: unknown, file = 'config.json'): Qwen2VlConfig {
  const obj = (json ?? {}) as Record<string, unknown>;
  checkModelType(file, 'model_type', obj['model_type'], QWEN2_VL_MODEL_TYPES);
  const parsed = Qwen2VlConfigSchema.safeParse(json);
  if (!parsed.success) throw zodToConfigError(file, parsed.error);
  const text = TextConfigSchema.safeParse(qwen2VlTextJson(obj));
  if (!text.success) throw zodToConfigError(file, text.error);
  const config = completeQwen2VlConfig(parsed.data, text.data);
  const rope = parsed.data.rope_scaling ?? parsed.data.text_config?.rope_scaling;
  const ropeType = rope?.type ?? rope?.rope_type;
  // Only plain M-RoPE is implemented (HF rewrites `mrope` to `default` on load); scaled variants (yarn, dynamic) are not.
  if (ropeType !== undefined && ropeType !== 'mrope' && ropeType !== 'default') throw new ConfigError(file, 'rope_scaling.type', `"${ropeType}" is not supported (mrope, default)`);
  if (obj['use_sliding_window'] === true) throw new ConfigError(file, 'use_sliding_window', 'sliding-window attention is not implemented');
  const t = config.text;
  const v = config.vision;
  if (t.num_attention_heads % t.num_key_value_heads !== 0) {
    throw new ConfigError(file, 'num_key_value_heads', `${t.num_key_value_heads} does not divide num_attention_heads ${t.num_attention_heads}`);
  }
  if (!Number.isInteger(t.head_dim) || t.head_dim % 2 !== 0) throw new ConfigError(file, 'hidden_size', 'head dim is not an even integer');
  const sections = config.mrope_section.reduce((a, b) => a + b, 0);
  if (sections !== t.head_dim / 2) throw new ConfigError(file, 'rope_scaling.mrope_section', `sums to ${sections}, half the head dim is ${t.head_dim / 2}`);
  if (!Number.isInteger(v.head_dim) || v.head_dim % 4 !== 0) {
    throw new ConfigError(file, 'vision_config.num_heads', `embed_dim ${v.embed_dim} / num_heads ${v.num_heads} is not a multiple of 4 (2-D rotary halves)`);
  }
  if (v.out_hidden_size !== t.hidden_size) throw new ConfigError(file, 'vision_config.hidden_size', `${v.out_hidden_size} differs from the text hidden_size ${t.hidden_size}`);
  for (const key of ['image_token_id', 'vision_start_token_id', 'vision_end_token_id'] as const) {
    if (config[key] >= t.vocab_size) throw new ConfigError(file, key, `${config[key]} is outside the vocabulary (${t.vocab_size})`);
  }
  return config;
}

/** Reads and validates `<folder>/config.json` of a Qwen2-VL model. */
export function readQwen2VlConfig(folder: string): Qwen2VlConfig {
  const { json, file } = readConfigJson(folder);
  return parseQwen2VlConfig(json, file);
}

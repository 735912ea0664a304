import { ConfigError, UnsupportedRopeScalingError } from '../errors';
import { checkModelType, readConfigJson, zodToConfigError } from '../family/config-json';
import { completeLlavaConfig, LLAVA_MODEL_TYPES, LlavaConfigSchema, type LlavaConfig } from './llava-config';
import { ropeKind, TEXT_MODEL_TYPES } from '../decoder/text-config';
import { IMPLEMENTED_ROPE_KINDS, ropeInverseFrequencies } from '../decoder/rope-frequencies';
import { VISION_MODEL_TYPES } from './vision-config';

/** Validates a parsed config.json object; `file` names it in errors. */
export function parseLlavaConfig(json: unknown, file = 'config.json'): LlavaConfig {
  const obj = (json ?? {}) as Record<string, { model_type?: unknown } | unknown>;
  checkModelType(file, 'model_type', obj['model_type'], LLAVA_MODEL_TYPES);
  const textType = (obj['text_config'] as { model_type?: unknown } | null | undefined)?.model_type ?? 'llama';
  checkModelType(file, 'text_config.model_type', textType, TEXT_MODEL_TYPES);
  checkModelType(file, 'vision_config.model_type', (obj['vision_config'] as { model_type?: unknown } | undefined)?.model_type, VISION_MODEL_TYPES);
  const parsed = LlavaConfigSchema.safeParse(json);
  if (!parsed.success) throw zodToConfigError(file, parsed.error);
  const config = completeLlavaConfig(parsed.data);
  const t = config.text;
  const rope = ropeKind(t);
  if (!(IMPLEMENTED_ROPE_KINDS as readonly string[]).includes(rope.kind)) throw new UnsupportedRopeScalingError(file, `text_config.${rope.field}`, rope.kind);
  try {
    ropeInverseFrequencies(t);
  } catch (e) {
    throw new ConfigError(file, `text_config.${rope.field.replace(/\.rope_type$/, '')}`, (e as Error).message);
  }
  // Qwen2's switch; the decoder attends over every position, so a sliding window would give other logits.
  if (t['use_sliding_window'] === true) throw new ConfigError(file, 'text_config.use_sliding_window', 'sliding-window attention is not implemented');
  if (t.num_attention_heads % t.num_key_value_heads !== 0) {
    throw new ConfigError(file, 'text_config.num_key_value_heads', `${t.num_key_value_heads} does not divide num_attention_heads ${t.num_attention_heads}`);
  }
  if (!Number.isInteger(t.head_dim)) throw new ConfigError(file, 'text_config.hidden_size', 'hidden_size is not divisible by num_attention_heads');
  const v = config.vision;
  if (v.hidden_size % v.num_attention_heads !== 0) {
    throw new ConfigError(file, 'vision_config.hidden_size', `${v.hidden_size} is not divisible by num_attention_heads ${v.num_attention_heads}`);
  }
  const depth = v.num_hidden_layers;
  for (const l of config.vision_feature_layers) {
    if (l > depth || l < -(depth + 1)) throw new ConfigError(file, 'vision_feature_layer', `${l} is outside the ${depth + 1} hidden states`);
  }
  if (config.image_token_index >= t.vocab_size) {
    throw new ConfigError(file, 'image_token_index', `${config.image_token_index} is outside the vocabulary (${t.vocab_size})`);
  }
  return config;
}

/** Reads and validates `<folder>/config.json`. */
export function readLlavaConfig(folder: string): LlavaConfig {
  const { json, file } = readConfigJson(folder);
  return parseLlavaConfig(json, file);
}

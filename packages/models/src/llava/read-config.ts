import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { ConfigError, UnsupportedModelTypeError } from '../errors';
import { completeLlavaConfig, LLAVA_MODEL_TYPES, LlavaConfigSchema, type LlavaConfig } from './llava-config';
import { TEXT_MODEL_TYPES } from './text-config';
import { VISION_MODEL_TYPES } from './vision-config';

/** Validates a parsed config.json object; `file` names it in errors. */
export function parseLlavaConfig(json: unknown, file = 'config.json'): LlavaConfig {
  const obj = (json ?? {}) as Record<string, { model_type?: unknown } | unknown>;
  checkType(file, 'model_type', obj['model_type'], LLAVA_MODEL_TYPES);
  checkType(file, 'text_config.model_type', (obj['text_config'] as { model_type?: unknown } | undefined)?.model_type, TEXT_MODEL_TYPES);
  checkType(file, 'vision_config.model_type', (obj['vision_config'] as { model_type?: unknown } | undefined)?.model_type, VISION_MODEL_TYPES);
  const parsed = LlavaConfigSchema.safeParse(json);
  if (!parsed.success) throw zodToConfigError(file, parsed.error);
  const config = completeLlavaConfig(parsed.data);
  const t = config.text;
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
  const file = join(folder, 'config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, '', `cannot read: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, '', `not valid JSON: ${(e as Error).message}`);
  }
  return parseLlavaConfig(json, file);
}

function checkType(file: string, field: string, value: unknown, supported: readonly string[]): void {
  if (typeof value !== 'string') throw new ConfigError(file, field, 'missing');
  if (!supported.includes(value)) throw new UnsupportedModelTypeError(file, field, value, supported);
}

function zodToConfigError(file: string, error: z.ZodError): ConfigError {
  const issue = error.issues[0]!;
  return new ConfigError(file, issue.path.join('.'), issue.message);
}

import { z } from 'zod';

/** Decoder families implemented: Llama and Qwen2 (RMS norm, RoPE, GQA, SwiGLU). */
export const TEXT_MODEL_TYPES = ['llama', 'qwen2'] as const;

const positiveInt = z.number().int().positive();

/** HF `text_config` of a Llama/Qwen2 decoder; unknown keys are kept so configs round-trip. */
export const TextConfigSchema = z.looseObject({
  model_type: z.enum(TEXT_MODEL_TYPES),
  vocab_size: positiveInt,
  hidden_size: positiveInt,
  intermediate_size: positiveInt,
  num_hidden_layers: positiveInt,
  num_attention_heads: positiveInt,
  num_key_value_heads: positiveInt.optional(),
  head_dim: positiveInt.optional(),
  max_position_embeddings: positiveInt.default(4096),
  rms_norm_eps: z.number().positive().default(1e-6),
  rope_theta: z.number().positive().default(10000),
  hidden_act: z.literal('silu').default('silu'),
  /** Llama's switch; Qwen2 always has q/k/v biases. */
  attention_bias: z.boolean().optional(),
  tie_word_embeddings: z.boolean().default(false),
  bos_token_id: z.number().int().nullable().optional(),
  eos_token_id: z
    .union([z.number().int(), z.array(z.number().int())])
    .nullable()
    .optional(),
  pad_token_id: z.number().int().nullable().optional(),
  /** transformers v4 RoPE scaling (`null` or `{type|rope_type: ...}`); only the unscaled kind is implemented. */
  rope_scaling: z.looseObject({}).nullable().optional(),
  /** transformers v5 layout: `{rope_type, rope_theta, ...}` replaces `rope_theta` and `rope_scaling`. */
  rope_parameters: z.looseObject({ rope_theta: z.number().positive().optional() }).nullable().optional(),
});

/**
 * The constructor defaults of transformers' LlamaConfig and Qwen2Config: published `text_config`s omit every
 * field equal to them (llava-1.5-7b-hf gives only vocab size, context length and norm epsilon).
 */
export const TEXT_FAMILY_DEFAULTS = {
  llama: {
    vocab_size: 32000,
    hidden_size: 4096,
    intermediate_size: 11008,
    num_hidden_layers: 32,
    num_attention_heads: 32,
    max_position_embeddings: 2048,
    rms_norm_eps: 1e-6,
    rope_theta: 10000,
    tie_word_embeddings: false,
    attention_bias: false,
  },
  qwen2: {
    vocab_size: 151936,
    hidden_size: 4096,
    intermediate_size: 22016,
    num_hidden_layers: 32,
    num_attention_heads: 32,
    num_key_value_heads: 32,
    max_position_embeddings: 32768,
    rms_norm_eps: 1e-6,
    rope_theta: 10000,
    tie_word_embeddings: false,
  },
} as const satisfies Record<(typeof TEXT_MODEL_TYPES)[number], Record<string, unknown>>;

/** A `text_config` object with its family's defaults under the fields it gives (model type defaults to llama, as LlavaConfig's). */
export function withTextFamilyDefaults(json: unknown): unknown {
  if (json === undefined || json === null) return { model_type: 'llama', ...TEXT_FAMILY_DEFAULTS.llama };
  if (typeof json !== 'object' || Array.isArray(json)) return json;
  const obj = json as Record<string, unknown>;
  const type = obj['model_type'] ?? 'llama';
  const defaults = type === 'llama' || type === 'qwen2' ? TEXT_FAMILY_DEFAULTS[type] : {};
  return { ...defaults, ...obj, model_type: type };
}

/** The RoPE variant a text config asks for (`default` when unscaled), and the field that says so. */
export function ropeKind(c: { rope_scaling?: Record<string, unknown> | null; rope_parameters?: Record<string, unknown> | null }): {
  kind: string;
  field: string;
} {
  const p = c.rope_parameters;
  if (p) {
    const kind = p['rope_type'] ?? p['type'];
    return { kind: typeof kind === 'string' ? kind : 'per-layer-type or unnamed', field: 'rope_parameters.rope_type' };
  }
  const s = c.rope_scaling;
  if (s) {
    const kind = s['rope_type'] ?? s['type'];
    return { kind: typeof kind === 'string' ? kind : 'unnamed', field: 'rope_scaling.rope_type' };
  }
  return { kind: 'default', field: '' };
}

/** A validated text config, with the derived fields every graph needs. */
export type TextConfig = z.infer<typeof TextConfigSchema> & {
  num_key_value_heads: number;
  head_dim: number;
  /** Whether q/k/v projections have biases (Qwen2: yes; Llama: `attention_bias`). */
  qkv_bias: boolean;
};

/** Fills derived fields (kv heads, head dim, q/k/v bias) of a parsed text config. */
export function completeTextConfig(c: z.infer<typeof TextConfigSchema>): TextConfig {
  return {
    ...c,
    num_key_value_heads: c.num_key_value_heads ?? c.num_attention_heads,
    head_dim: c.head_dim ?? c.hidden_size / c.num_attention_heads,
    rope_theta: c.rope_parameters?.rope_theta ?? c.rope_theta,
    qkv_bias: c.model_type === 'qwen2' ? true : (c.attention_bias ?? false),
  };
}

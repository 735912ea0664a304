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
});

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
    qkv_bias: c.model_type === 'qwen2' ? true : (c.attention_bias ?? false),
  };
}

/** Size presets of tiny random Qwen2-VL models (tests, the embedded default). */
export const QWEN2_VL_TINY_PRESETS = {
  /** Seconds to build; for unit tests. head_dim 16 → M-RoPE sections [2, 3, 3] over its 8 bands. */
  tiny: {
    text: { hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2 },
    mropeSection: [2, 3, 3],
    vision: { depth: 2, embed_dim: 32, mlp_ratio: 2, num_heads: 2, patch_size: 4 },
  },
} as const;

/** A preset name. */
export type Qwen2VlTinyPreset = keyof typeof QWEN2_VL_TINY_PRESETS;

/** Token ids a tiny config needs (from its tokenizer). */
export interface Qwen2VlTinyTokenIds {
  vocabSize: number;
  eosTokenId: number;
  padTokenId: number;
  visionStartTokenId: number;
  visionEndTokenId: number;
  imageTokenId: number;
  videoTokenId: number;
}

/** A config.json object shaped like the published Qwen2-VL ones (text fields top-level), at a tiny preset's size. */
export function tinyQwen2VlConfigJson(preset: Qwen2VlTinyPreset, ids: Qwen2VlTinyTokenIds, options: { tieWordEmbeddings?: boolean } = {}): Record<string, unknown> {
  const p = QWEN2_VL_TINY_PRESETS[preset];
  return {
    architectures: ['Qwen2VLForConditionalGeneration'],
    model_type: 'qwen2_vl',
    attention_dropout: 0,
    bos_token_id: null,
    eos_token_id: ids.eosTokenId,
    pad_token_id: ids.padTokenId,
    vision_start_token_id: ids.visionStartTokenId,
    vision_end_token_id: ids.visionEndTokenId,
    image_token_id: ids.imageTokenId,
    video_token_id: ids.videoTokenId,
    hidden_act: 'silu',
    max_position_embeddings: 2048,
    rms_norm_eps: 1e-6,
    rope_theta: 10000,
    tie_word_embeddings: options.tieWordEmbeddings ?? false,
    vocab_size: ids.vocabSize,
    use_sliding_window: false,
    ...p.text,
    vision_config: {
      ...p.vision,
      in_chans: 3,
      hidden_size: p.text.hidden_size,
      spatial_merge_size: 2,
      temporal_patch_size: 2,
    },
    rope_scaling: { type: 'mrope', mrope_section: [...p.mropeSection] },
  };
}

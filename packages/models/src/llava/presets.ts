/** Size presets of the tiny random models used by tests and the embedded default. */
export const TINY_PRESETS = {
  /** Seconds to build; for unit tests. */
  tiny: {
    text: {
      hidden_size: 64,
      intermediate_size: 128,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
    },
    vision: {
      hidden_size: 32,
      intermediate_size: 64,
      num_hidden_layers: 2,
      num_attention_heads: 2,
      image_size: 32,
      patch_size: 8,
    },
  },
  /** The embedded default's base: learns the synthetic task (64 px) on a 2-core CPU in minutes. */
  mini: {
    text: {
      hidden_size: 128,
      intermediate_size: 256,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
    },
    vision: {
      hidden_size: 64,
      intermediate_size: 128,
      num_hidden_layers: 2,
      num_attention_heads: 2,
      image_size: 64,
      patch_size: 8,
    },
  },
  /** Large enough to learn the synthetic task on a CPU in minutes. */
  small: {
    text: {
      hidden_size: 192,
      intermediate_size: 512,
      num_hidden_layers: 4,
      num_attention_heads: 6,
      num_key_value_heads: 2,
    },
    vision: {
      hidden_size: 96,
      intermediate_size: 256,
      num_hidden_layers: 3,
      num_attention_heads: 4,
      image_size: 64,
      patch_size: 8,
    },
  },
} as const;

/** A preset name. */
export type TinyPreset = keyof typeof TINY_PRESETS;

/** Options of a tiny LLaVA config. */
export interface TinyConfigOptions {
  preset: TinyPreset;
  vocabSize: number;
  imageTokenIndex: number;
  eosTokenId: number;
  padTokenId: number;
  textModelType?: 'qwen2' | 'llama';
  visionModelType?: 'clip_vision_model' | 'siglip_vision_model';
  maxPositionEmbeddings?: number;
  tieWordEmbeddings?: boolean;
}

/** A HF-style LLaVA config.json object for a tiny model of the given preset. */
export function tinyLlavaConfigJson(o: TinyConfigOptions): Record<string, unknown> {
  const p = TINY_PRESETS[o.preset];
  const clip = (o.visionModelType ?? 'clip_vision_model') === 'clip_vision_model';
  return {
    architectures: ['LlavaForConditionalGeneration'],
    model_type: 'llava',
    image_token_index: o.imageTokenIndex,
    projector_hidden_act: 'gelu',
    vision_feature_layer: -2,
    vision_feature_select_strategy: clip ? 'default' : 'full',
    tie_word_embeddings: o.tieWordEmbeddings ?? false,
    text_config: {
      model_type: o.textModelType ?? 'qwen2',
      vocab_size: o.vocabSize,
      max_position_embeddings: o.maxPositionEmbeddings ?? 2048,
      rms_norm_eps: 1e-6,
      rope_theta: 10000,
      hidden_act: 'silu',
      tie_word_embeddings: o.tieWordEmbeddings ?? false,
      eos_token_id: o.eosTokenId,
      pad_token_id: o.padTokenId,
      bos_token_id: null,
      ...p.text,
    },
    vision_config: {
      model_type: o.visionModelType ?? 'clip_vision_model',
      num_channels: 3,
      hidden_act: clip ? 'quick_gelu' : 'gelu_pytorch_tanh',
      layer_norm_eps: clip ? 1e-5 : 1e-6,
      ...p.vision,
    },
  };
}

import { ConfigError } from '../errors';
import { parseQwen2VlConfig } from './read-config';
import { tinyQwen2VlConfig } from './tiny-model';

describe('parseQwen2VlConfig', () => {
  const { json } = tinyQwen2VlConfig();

  it('reads the language model from the top level (published layout) or from text_config (transformers ≥ 4.53)', () => {
    const flat = parseQwen2VlConfig(json);
    expect(flat.text).toMatchObject({ model_type: 'qwen2', hidden_size: 64, num_key_value_heads: 2, head_dim: 16, qkv_bias: true });
    expect(flat.vision).toMatchObject({ embed_dim: 32, head_dim: 16, intermediate_size: 64, in_channels: 3, patch_dim: 96 });
    const { hidden_size, num_hidden_layers, num_attention_heads, num_key_value_heads, intermediate_size, vocab_size, rope_scaling, ...rest } = json as Record<string, unknown>;
    const nested = parseQwen2VlConfig({
      ...rest,
      text_config: { hidden_size, num_hidden_layers, num_attention_heads, num_key_value_heads, intermediate_size, vocab_size, rope_theta: 10000, rms_norm_eps: 1e-6, rope_scaling },
    });
    const core = ({ hidden_size, num_hidden_layers, num_attention_heads, num_key_value_heads, head_dim, vocab_size, rope_theta, qkv_bias }: typeof flat.text) =>
      ({ hidden_size, num_hidden_layers, num_attention_heads, num_key_value_heads, head_dim, vocab_size, rope_theta, qkv_bias });
    expect(core(nested.text)).toEqual(core(flat.text));
    expect(nested.mrope_section).toEqual([2, 3, 3]);
  });

  it('names the field of an inconsistent config', () => {
    expect(() => parseQwen2VlConfig({ ...json, rope_scaling: { type: 'mrope', mrope_section: [2, 3, 4] } }, 'c.json')).toThrow(
      new ConfigError('c.json', 'rope_scaling.mrope_section', 'sums to 9, half the head dim is 8'),
    );
    expect(() => parseQwen2VlConfig({ ...json, vision_config: { ...(json['vision_config'] as object), hidden_size: 32 } })).toThrow(/vision_config.hidden_size/);
    expect(() => parseQwen2VlConfig({ ...json, image_token_id: 10_000 })).toThrow(/image_token_id: 10000 is outside the vocabulary/);
    expect(() => parseQwen2VlConfig({ ...json, model_type: 'qwen2_5_vl' })).toThrow(/model_type "qwen2_5_vl" is not supported/);
    expect(() => parseQwen2VlConfig({ ...json, rope_scaling: { type: 'yarn', mrope_section: [2, 3, 3] } })).toThrow(/rope_scaling.type: "yarn" is not supported/);
    expect(() => parseQwen2VlConfig({ ...json, use_sliding_window: true })).toThrow(/use_sliding_window/);
    expect(parseQwen2VlConfig({ ...json, rope_scaling: { rope_type: 'default', type: 'default', mrope_section: [2, 3, 3] } }).mrope_section).toEqual([2, 3, 3]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, UnsupportedRopeScalingError } from '../errors';
import { parameterCount } from './tensor-names';
import { parseLlavaConfig, readLlavaConfig } from './read-config';
import { LLAVA_INTERLEAVE_QWEN_0_5B_CONFIG } from './real-configs';

const fixtures = join(__dirname, '..', '..', 'test', 'fixtures', 'llava-hf');
const publishedJson = (name: string): Record<string, Record<string, unknown>> => JSON.parse(readFileSync(join(fixtures, name, 'config.json'), 'utf8'));
const published7b = (): Record<string, Record<string, unknown>> => publishedJson('llava-1.5-7b-hf');

describe('published llava-hf configs', () => {
  it('llava-1.5-7b-hf loads as published: the Llama fields its text_config omits take LlamaConfig defaults', () => {
    const c = readLlavaConfig(join(fixtures, 'llava-1.5-7b-hf'));
    expect(c.text).toMatchObject({
      model_type: 'llama',
      vocab_size: 32064, // given
      max_position_embeddings: 4096, // given
      rms_norm_eps: 1e-5, // given
      hidden_size: 4096,
      intermediate_size: 11008,
      num_hidden_layers: 32,
      num_attention_heads: 32,
      num_key_value_heads: 32,
      head_dim: 128,
      rope_theta: 10000,
      qkv_bias: false,
      tie_word_embeddings: false,
    });
    expect(c.image_seq_length).toBe(576);
    expect(c.image_token_index).toBe(32000);
  });

  it('a text_config that gives a default explicitly parses the same as one that omits it', () => {
    const json = published7b();
    const explicit = { ...json, text_config: { ...json['text_config'], hidden_size: 4096, num_hidden_layers: 32 } };
    expect(parseLlavaConfig(explicit).text).toEqual(parseLlavaConfig(json).text);
  });

  it('the family default of an omitted field is the family’s own (Qwen2 context 32768, Llama 2048)', () => {
    const base = published7b();
    const llama = { ...base, text_config: { model_type: 'llama', vocab_size: 32064 } };
    const qwen = { ...base, image_token_index: 151646, text_config: { model_type: 'qwen2', hidden_size: 1024, num_attention_heads: 16, num_key_value_heads: 16, intermediate_size: 2816, num_hidden_layers: 2 } };
    expect(parseLlavaConfig(llama).text.max_position_embeddings).toBe(2048);
    expect(parseLlavaConfig(qwen).text).toMatchObject({ max_position_embeddings: 32768, vocab_size: 151936, qkv_bias: true });
  });

  it('a 7b built from the published config has the 7,063,427,072 parameters of the released checkpoint', () => {
    expect(parameterCount(readLlavaConfig(join(fixtures, 'llava-1.5-7b-hf')))).toBe(7_063_427_072);
  });

  // Sizes the Hub shows for the files (SOURCE.md): a fixture that was re-serialized or edited changes size.
  it.each([
    ['llava-1.5-7b-hf', 950],
    ['llava-1.5-13b-hf', 1103],
    ['llava-interleave-qwen-0.5b-hf', 1251],
    ['llava-interleave-qwen-7b-hf', 1100],
  ])('%s is vendored byte for byte (%i bytes, HF key order and number spelling)', (name, bytes) => {
    const text = readFileSync(join(fixtures, name, 'config.json'), 'utf8');
    expect(Buffer.byteLength(text)).toBe(bytes);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toMatch(/"rms_norm_eps": 1e-0[56]|"layer_norm_eps": 1e-06/); // Python's float spelling, not JSON.stringify's
  });

  it('llava-1.5-13b-hf loads as published: Llama-2-13B decoder, CLIP ViT-L/14 at 336 px', () => {
    const c = readLlavaConfig(join(fixtures, 'llava-1.5-13b-hf'));
    expect(c.text).toMatchObject({
      model_type: 'llama',
      vocab_size: 32064,
      hidden_size: 5120,
      intermediate_size: 13824,
      num_hidden_layers: 40,
      num_attention_heads: 40,
      num_key_value_heads: 40,
      head_dim: 128,
      max_position_embeddings: 4096,
      rms_norm_eps: 1e-5,
      rope_theta: 10000, // LlamaConfig default: the file omits it
      qkv_bias: false,
      tie_word_embeddings: false,
    });
    expect(c.vision).toMatchObject({ model_type: 'clip_vision_model', hidden_size: 1024, grid: 24, class_token: true, hidden_act: 'quick_gelu' });
    expect(c.image_seq_length).toBe(576);
    expect(c.vision_feature_layers).toEqual([-2]);
  });

  it('llava-interleave-qwen-0.5b-hf loads as published: Qwen2 decoder with tied embeddings, SigLIP without head', () => {
    const c = readLlavaConfig(join(fixtures, 'llava-interleave-qwen-0.5b-hf'));
    expect(c.text).toMatchObject({
      model_type: 'qwen2',
      vocab_size: 152000,
      hidden_size: 1024,
      intermediate_size: 2816,
      num_hidden_layers: 24,
      num_attention_heads: 16,
      num_key_value_heads: 16,
      head_dim: 64,
      max_position_embeddings: 32768,
      rms_norm_eps: 1e-6, // Qwen2Config default: the file omits it
      rope_theta: 1e6,
      qkv_bias: true,
      tie_word_embeddings: true, // from text_config; the file has no top-level tie_word_embeddings
    });
    expect(c.vision).toMatchObject({
      model_type: 'siglip_vision_model',
      hidden_size: 1152,
      intermediate_size: 4304,
      num_hidden_layers: 26,
      patch_size: 14,
      grid: 27,
      class_token: false,
      hidden_act: 'gelu_pytorch_tanh',
      layer_norm_eps: 1e-6,
    });
    expect(c.image_seq_length).toBe(729); // 27 × 27 patches, all kept by the `full` strategy
    expect(c.vision_feature_layers).toEqual([-1]);
    expect(c.image_token_index).toBe(151646);
  });

  it('the exported LLAVA_INTERLEAVE_QWEN_0_5B_CONFIG data is the published 0.5b file, value for value', () => {
    expect(JSON.parse(JSON.stringify(LLAVA_INTERLEAVE_QWEN_0_5B_CONFIG))).toEqual(publishedJson('llava-interleave-qwen-0.5b-hf'));
  });

  it('llava-interleave-qwen-7b-hf loads as published: the size fields it omits take Qwen2Config defaults', () => {
    const c = readLlavaConfig(join(fixtures, 'llava-interleave-qwen-7b-hf'));
    expect(c.text).toMatchObject({
      model_type: 'qwen2',
      vocab_size: 152000, // given
      intermediate_size: 11008, // given
      hidden_size: 4096,
      num_hidden_layers: 32,
      num_attention_heads: 32,
      num_key_value_heads: 32,
      head_dim: 128,
      rms_norm_eps: 1e-6,
      rope_theta: 1e6, // given
      qkv_bias: true,
      tie_word_embeddings: false,
    });
    expect(c.raw.text_config['sliding_window']).toBeNull(); // as transformers >= 4.44 writes it when use_sliding_window is false
    expect(c.image_seq_length).toBe(729);
    const json = publishedJson('llava-interleave-qwen-7b-hf');
    const explicit = { ...json, text_config: { ...json['text_config'], hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 32 } };
    expect(parseLlavaConfig(explicit).text).toEqual(c.text);
  });

  // Counts from the shapes (checked independently in Python from the config fields); the Hub's files agree:
  // 0.5b's one BF16 model.safetensors is 1.73 GB = 2 × 864,031,264 B, 7b's four shards sum to 16.28 GB.
  it.each([
    ['llava-1.5-13b-hf', 13_351_494_656],
    ['llava-interleave-qwen-0.5b-hf', 864_031_264],
    ['llava-interleave-qwen-7b-hf', 8_141_100_576],
  ])('%s has %i parameters', (name, count) => {
    expect(parameterCount(readLlavaConfig(join(fixtures, name)))).toBe(count);
  });

  it('a Qwen2 text_config with sliding-window attention is refused (not implemented), not run as full attention', () => {
    const json = publishedJson('llava-interleave-qwen-7b-hf');
    const sliding = { ...json, text_config: { ...json['text_config'], use_sliding_window: true, sliding_window: 4096 } };
    expect(() => parseLlavaConfig(sliding)).toThrow(ConfigError);
    expect(() => parseLlavaConfig(sliding)).toThrow(/text_config\.use_sliding_window: sliding-window attention is not implemented/);
  });

  it('a Qwen2 text_config asking for yarn is an UnsupportedRopeScalingError', () => {
    const json = publishedJson('llava-interleave-qwen-0.5b-hf');
    const yarn = { ...json, text_config: { ...json['text_config'], rope_scaling: { type: 'yarn', factor: 4, original_max_position_embeddings: 32768 } } };
    expect(() => parseLlavaConfig(yarn)).toThrow(UnsupportedRopeScalingError);
  });

  // linear and llama3 are implemented (rope-scaling.spec.ts checks them against the PyTorch oracle).
  it.each([
    ['rope_scaling', { rope_scaling: { type: 'dynamic', factor: 2 } }, 'dynamic'],
    ['rope_scaling', { rope_scaling: { rope_type: 'yarn', factor: 4, original_max_position_embeddings: 4096 } }, 'yarn'],
    ['rope_scaling', { rope_scaling: { rope_type: 'longrope', short_factor: [1], long_factor: [1] } }, 'longrope'],
    ['rope_parameters', { rope_parameters: { rope_type: 'yarn', rope_theta: 10000, factor: 4 } }, 'yarn'],
  ])('a %s of unimplemented kind %j is refused with a typed error, never ignored', (_field, extra, kind) => {
    const json = published7b();
    const scaled = { ...json, text_config: { ...json['text_config'], ...extra } };
    let err: unknown;
    try {
      parseLlavaConfig(scaled);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedRopeScalingError);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as UnsupportedRopeScalingError).ropeType).toBe(kind);
  });

  it('an implemented kind without its parameters is a ConfigError naming the field', () => {
    const json = published7b();
    const bad = { ...json, text_config: { ...json['text_config'], rope_scaling: { type: 'linear' } } };
    expect(() => parseLlavaConfig(bad)).toThrow(ConfigError);
    expect(() => parseLlavaConfig(bad)).toThrow(/text_config\.rope_scaling: rope scaling field 'factor' must be a number/);
  });

  it('unscaled RoPE in either layout loads; v5 rope_parameters carries rope_theta', () => {
    const json = published7b();
    const v4 = { ...json, text_config: { ...json['text_config'], rope_scaling: null, rope_theta: 500000 } };
    const v5 = { ...json, text_config: { ...json['text_config'], rope_parameters: { rope_type: 'default', rope_theta: 500000 } } };
    expect(parseLlavaConfig(v4).text.rope_theta).toBe(500000);
    expect(parseLlavaConfig(v5).text.rope_theta).toBe(500000);
  });
});

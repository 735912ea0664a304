import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, UnsupportedRopeScalingError } from '../errors';
import { parameterCount } from './tensor-names';
import { parseLlavaConfig, readLlavaConfig } from './read-config';

const fixtures = join(__dirname, '..', '..', 'test', 'fixtures', 'llava-hf');
const published7b = (): Record<string, Record<string, unknown>> =>
  JSON.parse(readFileSync(join(fixtures, 'llava-1.5-7b-hf', 'config.json'), 'utf8'));

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

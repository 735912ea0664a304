import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, UnsupportedModelTypeError } from '../errors';
import { LLAVA_1_5_7B_CONFIG, LLAVA_INTERLEAVE_QWEN_0_5B_CONFIG } from './real-configs';
import { parseLlavaConfig, readLlavaConfig } from './read-config';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

type Cfg = {
  text_config: Record<string, unknown>;
  vision_config: Record<string, unknown>;
  [key: string]: unknown;
};

describe('parseLlavaConfig', () => {
  it('reads llava-interleave-qwen-0.5b: Qwen2 + SigLIP, 729 image tokens, tied embeddings', () => {
    const c = parseLlavaConfig(LLAVA_INTERLEAVE_QWEN_0_5B_CONFIG);
    expect(c.text).toMatchObject({
      model_type: 'qwen2',
      head_dim: 64,
      num_key_value_heads: 16,
      qkv_bias: true,
      tie_word_embeddings: true,
      rope_theta: 1e6,
      rms_norm_eps: 1e-6,
    });
    expect(c.vision).toMatchObject({
      class_token: false,
      grid: 27,
      hidden_act: 'gelu_pytorch_tanh',
      layer_norm_eps: 1e-6,
    });
    expect(c.image_seq_length).toBe(729);
    expect(c.vision_feature_layers).toEqual([-1]);
    expect(c.raw.text_config['max_window_layers']).toBe(21); // unknown keys survive for writing back
  });

  it('reads llava-1.5-7b: Llama + CLIP, class token dropped by the default strategy → 576 tokens', () => {
    const c = parseLlavaConfig(LLAVA_1_5_7B_CONFIG);
    expect(c.text).toMatchObject({
      model_type: 'llama',
      head_dim: 128,
      num_key_value_heads: 32,
      qkv_bias: false,
      tie_word_embeddings: false,
    });
    expect(c.vision).toMatchObject({
      class_token: true,
      grid: 24,
      hidden_act: 'quick_gelu',
      layer_norm_eps: 1e-5,
    });
    expect(c.image_seq_length).toBe(576);
    const full = clone(LLAVA_1_5_7B_CONFIG) as Record<string, unknown>;
    full['vision_feature_select_strategy'] = 'full';
    expect(parseLlavaConfig(full).image_seq_length).toBe(577);
  });

  it.each([
    [(c: Cfg) => (c['model_type'] = 'idefics3'), UnsupportedModelTypeError, /model_type "idefics3" is not supported/],
    [(c: Cfg) => (c.text_config['model_type'] = 'gemma'), UnsupportedModelTypeError, /text_config.model_type "gemma"/],
    [(c: Cfg) => delete c.vision_config['model_type'], ConfigError, /vision_config.model_type: missing/],
    [(c: Cfg) => (c.text_config['hidden_size'] = 'big'), ConfigError, /text_config.hidden_size/],
    [(c: Cfg) => (c.text_config['num_key_value_heads'] = 5), ConfigError, /num_key_value_heads: 5 does not divide/],
    [(c: Cfg) => (c['vision_feature_layer'] = -40), ConfigError, /vision_feature_layer: -40 is outside/],
    [(c: Cfg) => (c['image_token_index'] = 200000), ConfigError, /image_token_index: 200000 is outside the vocabulary/],
  ])('rejects a broken config (%#)', (mutate, type, message) => {
    const c = clone(LLAVA_INTERLEAVE_QWEN_0_5B_CONFIG) as unknown as Cfg;
    mutate(c);
    expect(() => parseLlavaConfig(c, 'x/config.json')).toThrow(type);
    expect(() => parseLlavaConfig(c, 'x/config.json')).toThrow(message);
  });
});

describe('readLlavaConfig', () => {
  it('names the file for missing and malformed configs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smart-cfg-'));
    try {
      expect(() => readLlavaConfig(dir)).toThrow(new RegExp(`${join(dir, 'config.json')}: cannot read`));
      writeFileSync(join(dir, 'config.json'), '{"model_type": "llava",');
      expect(() => readLlavaConfig(dir)).toThrow(/not valid JSON/);
      writeFileSync(join(dir, 'config.json'), JSON.stringify(LLAVA_1_5_7B_CONFIG));
      expect(readLlavaConfig(dir).image_seq_length).toBe(576);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { parseLlavaConfig } from './read-config';
import { LLAVA_1_5_7B_CONFIG, LLAVA_INTERLEAVE_QWEN_0_5B_CONFIG } from './real-configs';
import { canonicalTensorName, llavaTensorSpecs, parameterCount } from './tensor-names';

describe('llavaTensorSpecs', () => {
  it('counts llava-1.5-7b parameters as published (7,063,427,072)', () => {
    expect(parameterCount(parseLlavaConfig(LLAVA_1_5_7B_CONFIG))).toBe(7_063_427_072);
  });

  it('lists Qwen2 q/k/v biases, SigLIP patch bias, and no lm_head when embeddings are tied', () => {
    const specs = llavaTensorSpecs(parseLlavaConfig(LLAVA_INTERLEAVE_QWEN_0_5B_CONFIG));
    const names = new Set(specs.map((s) => s.name));
    expect(names.has('language_model.model.layers.23.self_attn.k_proj.bias')).toBe(true);
    expect(names.has('vision_tower.vision_model.embeddings.patch_embedding.bias')).toBe(true);
    expect(names.has('vision_tower.vision_model.embeddings.class_embedding')).toBe(false);
    expect(names.has('language_model.lm_head.weight')).toBe(false);
    expect(specs.find((s) => s.name === 'vision_tower.vision_model.embeddings.position_embedding.weight')!.shape).toEqual([729, 1152]);
    expect(specs.find((s) => s.name === 'multi_modal_projector.linear_1.weight')!.shape).toEqual([1024, 1152]);
  });
});

describe('canonicalTensorName', () => {
  it.each([
    ['model.language_model.layers.0.mlp.up_proj.weight', 'language_model.model.layers.0.mlp.up_proj.weight'],
    ['lm_head.weight', 'language_model.lm_head.weight'],
    ['model.vision_tower.vision_model.post_layernorm.bias', 'vision_tower.vision_model.post_layernorm.bias'],
    ['model.multi_modal_projector.linear_2.bias', 'multi_modal_projector.linear_2.bias'],
    ['language_model.model.norm.weight', 'language_model.model.norm.weight'],
  ])('%s -> %s', (from, to) => {
    expect(canonicalTensorName(from)).toBe(to);
  });
});

import { appliesWeightDecay } from './weight-decay';

describe('appliesWeightDecay (transformers Trainer parameter groups)', () => {
  it.each([
    ['language_model.model.layers.0.self_attn.q_proj.weight', true],
    ['language_model.model.layers.0.self_attn.q_proj.bias', false],
    ['language_model.model.layers.3.input_layernorm.weight', false],
    ['language_model.model.layers.3.post_attention_layernorm.weight', false],
    ['language_model.model.norm.weight', false],
    ['language_model.model.embed_tokens.weight', true],
    ['language_model.lm_head.weight', true],
    ['language_model.model.layers.1.mlp.down_proj.lora_B.weight', true],
    // CLIP's LayerNorm modules: transformers skips them by module type; these are their names.
    ['vision_tower.vision_model.pre_layrnorm.weight', false],
    ['vision_tower.vision_model.encoder.layers.0.layer_norm1.weight', false],
    ['vision_tower.vision_model.post_layernorm.bias', false],
    ['multi_modal_projector.linear_1.weight', true],
  ])('%s → %s', (name, decays) => {
    expect(appliesWeightDecay(name)).toBe(decays);
  });
});

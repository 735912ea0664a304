import { initLoraWeights, llavaTensorSpecs, randomWeights, tinyModelConfig } from '@smart/models';
import { peftAdapterConfig } from './peft-adapter';

describe('peftAdapterConfig', () => {
  it("scopes LLaVA's target_modules to the language model's layers: no vision-tower q_proj of the same name matches", () => {
    const { config } = tinyModelConfig({ preset: 'tiny' });
    const specs = llavaTensorSpecs(config);
    const lora = { rank: 2, alpha: 4, targetModules: ['q_proj', 'v_proj'] };
    const adapters = initLoraWeights(randomWeights(specs, { seed: 1, std: 0.1 }), lora, 1);
    const target = peftAdapterConfig(lora, 'base', adapters.keys())['target_modules'] as string;
    expect(target).toBe('language_model\\.model\\.layers\\..*\\.(q_proj|v_proj)');
    const re = new RegExp(`^(?:${target})$`);
    const linear = specs.filter((s) => s.name.endsWith('.weight') && s.shape.length === 2).map((s) => s.name.slice(0, -'.weight'.length));
    expect(linear.some((m) => m.startsWith('vision_tower.') && m.endsWith('.q_proj'))).toBe(true);
    const adapted = [...new Set([...adapters.keys()].map((k) => k.replace(/\.lora_[AB]\.weight$/, '')))].sort();
    expect(linear.filter((m) => re.test(m)).sort()).toEqual(adapted);
  });
});

import { TrainerConfigError } from '../errors';
import { dpoConfigSchema } from './dpo-config';
import { configHelp, parseDpoConfig, parseSftConfig } from './parse-config';
import { sftConfigSchema } from './sft-config';

describe('trainer configs', () => {
  it('fills TRL defaults', () => {
    const c = parseDpoConfig({});
    expect(c).toMatchObject({ loss_type: 'sigmoid', beta: 0.1, label_smoothing: 0, rpo_alpha: null, loss_span: 'completion', learning_rate: 1e-6, lr_scheduler_type: 'linear' });
    expect(c).toMatchObject({ max_length: 1024, max_prompt_length: 512, truncation_mode: 'keep_end', max_grad_norm: 1, seed: 42, trainable_parts: ['text'] });
    expect(c.execution_provider).toBe('cpu');
    expect(parseSftConfig({}).learning_rate).toBe(2e-5);
    expect(parseSftConfig({}).truncation_mode).toBe('keep_start');
  });

  it('has help text on every field', () => {
    for (const schema of [dpoConfigSchema, sftConfigSchema]) {
      const help = configHelp(schema);
      expect(help.length).toBeGreaterThan(20);
      for (const f of help) expect(f.help.length).toBeGreaterThan(10);
    }
    expect(configHelp(dpoConfigSchema).map((f) => f.name)).toEqual(expect.arrayContaining(['beta', 'loss_type', 'rpo_alpha', 'precompute_ref_log_probs', 'lora']));
  });

  it('applies the paper preset under user overrides', () => {
    const c = parseDpoConfig({ seed: 7 }, { preset: 'paper' });
    expect(c).toMatchObject({ learning_rate: 2e-6, lr_scheduler_type: 'cosine', warmup_ratio: 0.1, weight_decay: 0, num_train_epochs: 1, beta: 0.1, seed: 7 });
    expect(c.per_device_train_batch_size * c.gradient_accumulation_steps).toBe(128);
  });

  it('rejects bad fields with a typed error naming them', () => {
    const bad = () => parseDpoConfig({ loss_type: 'kto', beta: -1, loss_span: 'tokens', lora: { r: 0, lora_alpha: 16 } });
    expect(bad).toThrow(TrainerConfigError);
    try {
      bad();
    } catch (e) {
      expect((e as TrainerConfigError).issues.map((i) => i.path).sort()).toEqual(['beta', 'lora.r', 'loss_span', 'loss_type']);
    }
    expect(() => parseDpoConfig({ max_length: 100, max_prompt_length: 100 })).toThrow(/max_prompt_length/);
  });

  it('accepts LoRA with PEFT names and default targets', () => {
    expect(parseDpoConfig({ lora: { r: 4, lora_alpha: 8 } }).lora).toEqual({ r: 4, lora_alpha: 8, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] });
  });
});

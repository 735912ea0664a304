import { grad, Graph, reduceSum, type TensorData } from '@smart/onnx-graph';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readQwen2VlConfig } from './read-config';
import { qwen2VlLogProbs } from './sequence-log-probs';
import { qwen2VlParameterCount, qwen2VlTensorSpecs } from './tensor-names';
import { qwen2VlTrainableParts } from './trainable-parts';

const FIXTURES = join(__dirname, '../../test/fixtures/qwen2-vl');

/** Weight shapes without data: a full-size graph builds in memory (every tensor a graph input). */
function shapeOnlyWeights(specs: { name: string; shape: number[] }[]): Map<string, TensorData> {
  return new Map(specs.map((s) => [s.name, { dtype: 'float32' as const, shape: s.shape, data: new Float32Array(0) }]));
}

const count = (specs: { shape: number[]; part: string }[], parts: string[]) =>
  specs.filter((s) => parts.includes(s.part)).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);

describe('published Qwen2-VL configs (shape-level, no weights allocated)', () => {
  it.each([
    // Parameter totals of the published checkpoints (model cards: 2.21B, 8.29B); text + vision (ViT + merger).
    ['Qwen2-VL-2B-Instruct', 151936, 1536, 2_208_985_600, 1_543_714_304],
    ['Qwen2-VL-7B-Instruct', 152064, 3584, 8_291_375_616, 7_615_616_512],
  ] as const)('%s: config accepted unedited, parameter count, training graph with gradients', (name, vocab, hidden, total, text) => {
    const config = readQwen2VlConfig(join(FIXTURES, name));
    expect(config.text).toMatchObject({ vocab_size: vocab, hidden_size: hidden, num_hidden_layers: 28, head_dim: 128, rope_theta: 1e6, qkv_bias: true });
    expect(config.mrope_section).toEqual([16, 24, 24]);
    expect(config.vision).toMatchObject({ depth: 32, embed_dim: 1280, num_heads: 16, head_dim: 80, intermediate_size: 5120, patch_dim: 3 * 2 * 14 * 14, out_hidden_size: hidden });
    expect(JSON.parse(readFileSync(join(FIXTURES, name, 'preprocessor_config.json'), 'utf8'))).toMatchObject({ min_pixels: 3136, max_pixels: 12845056, merge_size: 2 });
    const specs = qwen2VlTensorSpecs(config);
    expect(qwen2VlParameterCount(config)).toBe(total);
    expect(count(specs, ['text'])).toBe(text);
    expect(specs.find((s) => s.name === 'visual.patch_embed.proj.weight')!.shape).toEqual([1280, 3, 2, 14, 14]);
    expect(specs.find((s) => s.name === 'visual.merger.mlp.2.weight')!.shape).toEqual([hidden, 5120]);
    expect(specs.some((s) => s.name === 'lm_head.weight')).toBe(name.includes('7B'));

    // The default recipe trains the language model with the vision tower and merger frozen.
    const byDefault = qwen2VlTrainableParts(config);
    for (const spec of specs) expect(byDefault(spec.name)).toBe(spec.part === 'text');

    const g = new Graph('real');
    // Every tensor a graph input (shape only, no data); the vision tower is in the graph too.
    const s = qwen2VlLogProbs(g, config, shapeOnlyWeights(specs), { trainable: () => true });
    expect(s.head(s.hidden).shape).toEqual(['batch_size', 'sequence_length', vocab]);
    expect(s.positionIds.shape).toEqual([3, 'batch_size', 'sequence_length']);
    expect(s.logps.shape).toEqual(['batch_size']);
    const trainable = new Set(s.weights.trainable.map((v) => v.name));
    for (const spec of specs) expect(trainable.has(spec.name)).toBe(spec.name !== 'lm_head.weight' || !config.text.tie_word_embeddings);
    const last = s.weights.trainable.filter((v) => v.name.startsWith('model.layers.27.'));
    expect(last).toHaveLength(12);
    const grads = grad(g, reduceSum(s.logps, undefined, false), last);
    grads.forEach((d, i) => expect(d.shape).toEqual(last[i]!.shape));
  });
});

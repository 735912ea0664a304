import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { grad, Graph, reduceSum, type TensorData } from '@smart/onnx-graph';
import { sequenceLogProbs } from './sequence-log-probs';
import { llavaTensorSpecs, parameterCount } from './tensor-names';
import { parseLlavaConfig } from './read-config';
import { LLAVA_1_5_7B_CONFIG, LLAVA_INTERLEAVE_QWEN_0_5B_CONFIG } from './real-configs';

const publishedJson = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'llava-hf', name, 'config.json'), 'utf8'));

/** Weight shapes without data: every weight becomes a graph input, so a full-size graph builds in memory. */
function shapeOnlyWeights(specs: { name: string; shape: number[] }[]): Map<string, TensorData> {
  return new Map(specs.map((s) => [s.name, { dtype: 'float32' as const, shape: s.shape, data: new Float32Array(0) }]));
}

describe('real-shaped configs build their graphs (shape-level check)', () => {
  it.each([
    ['llava-interleave-qwen-0.5b', LLAVA_INTERLEAVE_QWEN_0_5B_CONFIG, 152000],
    ['llava-1.5-7b', LLAVA_1_5_7B_CONFIG, 32064],
    ['llava-1.5-13b-hf (published)', publishedJson('llava-1.5-13b-hf'), 32064],
    ['llava-interleave-qwen-7b-hf (published)', publishedJson('llava-interleave-qwen-7b-hf'), 152000],
  ] as const)('%s: training graph with gradients, shapes inferred end to end', (_name, json, vocab) => {
    const config = parseLlavaConfig(json);
    const specs = llavaTensorSpecs(config);
    const g = new Graph('real');
    const s = sequenceLogProbs(g, config, shapeOnlyWeights(specs), { trainable: () => true });
    expect(s.head(s.hidden).shape).toEqual(['batch_size', 'sequence_length', vocab]);
    expect(s.logps.shape).toEqual(['batch_size']);
    // Every tensor the vision tower needs up to its feature layer, and every text tensor, was bound.
    const bound = new Set(s.weights.trainable.map((v) => v.name));
    for (const spec of specs) if (spec.part !== 'vision') expect(bound.has(spec.name)).toBe(true);
    const lastLayer = config.text.num_hidden_layers - 1;
    const wrt = s.weights.trainable.filter((v) => v.name.includes(`layers.${lastLayer}.`) && v.name.includes('language_model'));
    const grads = grad(g, reduceSum(s.logps, undefined, false), wrt);
    grads.forEach((d, i) => expect(d.shape).toEqual(wrt[i]!.shape));
    expect(parameterCount(config)).toBeGreaterThan(4e8);
  });
});

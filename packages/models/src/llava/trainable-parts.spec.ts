import { Graph, serializeModel } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { int64Rows } from '../../test/int64-rows';
import { randomLlavaWeights } from './random-weights';
import { tinyTestConfig } from '../../test/tiny';
import { buildVisionEncoder } from './inference-graphs';
import { sequenceLogProbs } from './sequence-log-probs';
import { trainableParts } from './trainable-parts';

describe('trainable parts and cached image features', () => {
  jest.setTimeout(60_000);
  const { config } = tinyTestConfig();
  const weights = randomLlavaWeights(config, { seed: 4, std: 0.1 });

  it('trains the language model only by default; the vision tower and projector stay initializers', () => {
    const g = new Graph('t');
    const s = sequenceLogProbs(g, config, weights, { trainable: trainableParts(config) });
    const names = s.weights.trainable.map((v) => v.name);
    expect(names).toContain('language_model.model.embed_tokens.weight');
    expect(names).toContain('language_model.lm_head.weight');
    expect(names.some((n) => n.startsWith('vision_tower.') || n.startsWith('multi_modal_projector.'))).toBe(false);
    expect(g.initializers.has('multi_modal_projector.linear_1.weight')).toBe(true);
    const all = sequenceLogProbs(new Graph('u'), config, weights, { trainable: trainableParts(config, ['text', 'projector']) });
    expect(all.weights.trainable.map((v) => v.name)).toContain('multi_modal_projector.linear_2.bias');
  });

  it('log-probs from cached image features equal those from pixels', async () => {
    const S = 24;
    const ids = Array.from({ length: S }, (_, s) => (s >= 2 && s < 18 ? 259 : 40 + ((s * 7) % 50)));
    const base = {
      input_ids: int64Rows([ids]),
      attention_mask: int64Rows([ids.map(() => 1)]),
      position_ids: int64Rows([ids.map((_, i) => i)]),
      completion_mask: int64Rows([ids.map((_, i) => (i >= 18 ? 1 : 0))]),
    };
    const pixels = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => Math.sin(i)),
      [1, 3, 32, 32],
    );
    const run = async (images: 'pixels' | 'features', extra: Record<string, ort.Tensor>) => {
      const g = new Graph('lp');
      const s = sequenceLogProbs(g, config, weights, { images });
      g.output(s.logps, 'logps');
      const session = await ort.InferenceSession.create(serializeModel(g).model);
      return ((await session.run({ ...base, ...extra }))['logps']!.data as Float32Array)[0]!;
    };
    const encoder = await ort.InferenceSession.create(serializeModel(buildVisionEncoder(config, weights)).model);
    const features = (await encoder.run({ pixel_values: pixels }))['image_features']!;
    const fromPixels = await run('pixels', { pixel_values: pixels });
    const fromFeatures = await run('features', { image_features: features });
    expect(fromPixels).toBeLessThan(-1);
    expect(Math.abs(fromPixels - fromFeatures)).toBeLessThan(1e-5);
  });
});

import { Graph, grad, reduceSum, mul, serializeModel } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { int64Rows } from '../../test/int64-rows';
import { tinyTestConfig } from '../../test/tiny';
import { randomLlavaWeights } from '../llava/random-weights';
import { sequenceLogProbs } from '../llava/sequence-log-probs';
import { PREFIX } from '../llava/tensor-names';

describe('completion-only lm_head', () => {
  const { config } = tinyTestConfig();
  const weights = randomLlavaWeights(config, { seed: 3, dtype: 'float64' });
  const S = 12;
  // Three right-padded rows: different prompt lengths, a padded tail, and a row with no completion tokens.
  const ids = [0, 1, 2].map((r) => Array.from({ length: S }, (_, t) => (r * 37 + t * 11) % 250));
  const attention = [Array(S).fill(1), [...Array(9).fill(1), 0, 0, 0], Array(S).fill(1)];
  const completion = [
    [...Array(5).fill(0), ...Array(7).fill(1)],
    [0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0],
    Array(S).fill(0),
  ];
  const trained = [`${PREFIX.lmHead}weight`, `${PREFIX.text}layers.1.mlp.down_proj.weight`];

  async function run(mode: 'completion' | 'full') {
    const g = new Graph(`lp_${mode}`);
    const s = sequenceLogProbs(g, config, weights, { dtype: 'float64', images: 'none', lmHead: mode, trainable: (n) => trained.includes(n) });
    g.output(s.logps, 'logps');
    g.output(s.tokenCounts, 'token_counts');
    g.output(s.logitSums, 'logit_sums');
    // A weighted sum so every row's gradient matters.
    const loss = reduceSum(mul(s.logps, g.constant('float64', [3], [1, -0.5, 2])), undefined, false);
    grad(g, loss, s.weights.trainable).forEach((d, i) => g.output(d, `grad.${s.weights.trainable[i]!.name}`));
    // float64: ORT's extended fusions (QuickGelu from x·σ(x)) have float32 kernels only.
    const session = await ort.InferenceSession.create(serializeModel(g).model, { graphOptimizationLevel: 'basic' });
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64Rows(ids),
      attention_mask: int64Rows(attention),
      position_ids: int64Rows(ids.map((row) => row.map((_, t) => t))),
      completion_mask: int64Rows(completion),
    };
    for (const v of s.weights.trainable) feeds[v.name] = new ort.Tensor('float64', weights.get(v.name)!.data as Float64Array, weights.get(v.name)!.shape);
    const out = await session.run(feeds);
    await session.release();
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.data as Float64Array)]));
  }

  it('equals the full-logits path: log-probs, token counts, logit sums and gradients (float64)', async () => {
    const [c, f] = [await run('completion'), await run('full')];
    expect(c['token_counts']).toEqual([7, 6, 0]);
    expect(f['token_counts']).toEqual([7, 6, 0]);
    expect(c['logps']![2]).toBe(0);
    expect(c['logps']![0]!).toBeLessThan(-10); // 7 tokens of a random 260-token model: about 7·ln 260
    for (const k of ['logps', 'logit_sums', ...trained.map((n) => `grad.${n}`)]) {
      const [a, b] = [c[k]!, f[k]!];
      expect(a.length).toBe(b.length);
      const scale = Math.max(...b.map(Math.abs));
      expect(scale).toBeGreaterThan(0);
      a.forEach((x, i) => expect(Math.abs(x - b[i]!)).toBeLessThan(1e-10 * Math.max(1, scale)));
    }
  });
});

import { Graph } from '../graph';
import { layerNorm, rmsNorm } from './norm';
import { gelu } from './activation';
import { trilu } from './trilu';
import { conv } from './conv';
import { labelLogProbs } from './label-log-probs';
import { gradCheck, randn, rng } from '../../test/gradcheck';

describe('norms, activations and fused rules', () => {
  it.each([-1, 1])('LayerNormalization axis %d with scale and bias', async (axis) => {
    const r = rng(51);
    const g = new Graph('t');
    const tail = axis === -1 ? [4] : [3, 4];
    const x = g.input('x', 'float64', [2, 3, 4]);
    const s = g.input('s', 'float64', tail);
    const b = g.input('b', 'float64', tail);
    const y = layerNorm(x, s, b, { axis, epsilon: 1e-5 });
    const inputs = [{ value: x, data: randn(r, [2, 3, 4]), shape: [2, 3, 4] }, { value: s, data: randn(r, tail), shape: tail }, { value: b, data: randn(r, tail), shape: tail }];
    expect(await gradCheck(g, inputs, y)).toBeLessThan(1);
  });

  it('RMS norm (composite)', async () => {
    const r = rng(52);
    const g = new Graph('t');
    const x = g.input('x', 'float64', [3, 5]);
    const w = g.input('w', 'float64', [5]);
    const y = rmsNorm(x, w, 1e-6);
    expect(await gradCheck(g, [{ value: x, data: randn(r, [3, 5]), shape: [3, 5] }, { value: w, data: randn(r, [5]), shape: [5] }], y)).toBeLessThan(1);
  });

  it('GELU tanh form in float64', async () => {
    const g = new Graph('t');
    const x = g.input('x', 'float64', [7]);
    expect(await gradCheck(g, [{ value: x, data: randn(rng(53), [7], -3, 3), shape: [7] }], gelu(x, 'tanh'))).toBeLessThan(1);
  });

  it('GELU exact form matches 0.5·x·(1+erf(x/√2)) in float32', async () => {
    const g = new Graph('t');
    const x = g.input('x', 'float32', [7]);
    const data = Float32Array.from(randn(rng(54), [7], -3, 3));
    expect(await gradCheck(g, [{ value: x, data, shape: [7] }], gelu(x, 'exact'), { h: 1e-2, rtol: 3e-3, atol: 1e-3 })).toBeLessThan(1);
  });

  it.each([true, false])('Trilu upper=%s k=1', async (upper) => {
    const g = new Graph('t');
    const x = g.input('x', 'float64', [2, 3, 3]);
    expect(await gradCheck(g, [{ value: x, data: randn(rng(55), [2, 3, 3]), shape: [2, 3, 3] }], trilu(x, upper, 1))).toBeLessThan(1);
  });

  it.each([
    [{ strides: [2, 2] as [number, number] }, [1, 2, 4, 4], [3, 2, 2, 2]],
    [{ strides: [2, 1] as [number, number], pads: [1, 0, 1, 1] as [number, number, number, number], dilations: [1, 2] as [number, number] }, [2, 2, 5, 5], [2, 2, 3, 2]],
  ])('Conv %j (float32: ORT CPU Conv is float-only)', async (opts, sx, sw) => {
    const r = rng(56);
    const g = new Graph('t');
    const x = g.input('x', 'float32', sx);
    const w = g.input('w', 'float32', sw);
    const b = g.input('b', 'float32', [sw[0]!]);
    const y = conv(x, w, b, opts);
    const f = (s: number[]) => Float32Array.from(randn(r, s));
    const inputs = [{ value: x, data: f(sx), shape: sx }, { value: w, data: f(sw), shape: sw }, { value: b, data: f([sw[0]!]), shape: [sw[0]!] }];
    expect(await gradCheck(g, inputs, y, { h: 1e-2, rtol: 5e-3, atol: 2e-3 })).toBeLessThan(1);
  });

  it('label log-probs (fused gradient, no scatter over the vocabulary)', async () => {
    const g = new Graph('t');
    const z = g.input('z', 'float64', [2, 3, 5]);
    const y = g.input('y', 'int64', [2, 3]);
    const lp = labelLogProbs(z, y);
    expect(lp.shape).toEqual([2, 3]);
    const labels = BigInt64Array.from([0n, 4n, 2n, 2n, 1n, 3n]);
    expect(await gradCheck(g, [{ value: z, data: randn(rng(57), [2, 3, 5], -2, 2), shape: [2, 3, 5] }, { value: y, data: labels, shape: [2, 3] }], lp)).toBeLessThan(1);
    expect(g.nodes.some((n) => n.opType === 'ScatterElements' || n.opType === 'ScatterND')).toBe(false);
  });
});

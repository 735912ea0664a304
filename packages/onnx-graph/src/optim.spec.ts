import { Graph } from './graph';
import { mul, sub } from './ops/elementwise';
import { reduceSum } from './ops/reduce';
import { clipGradNorm, trainingStep } from './optim';
import { session, tensor } from '../test/gradcheck';

// loss = Σ (w·x − t)²  ->  dL/dw = 2·x·(w·x − t)
function build(optimizer: 'adamw' | 'sgd', maxGradNorm?: number) {
  const g = new Graph('step');
  const w = g.input('w', 'float64', [3]);
  const x = g.constant('float64', [3], [1, -2, 0.5]);
  const t = g.constant('float64', [3], [0.3, 0.1, -1]);
  const r = sub(mul(w, x), t);
  const loss = g.output(reduceSum(mul(r, r), undefined, false), 'loss');
  const io = trainingStep(g, loss, [w], { optimizer, maxGradNorm, weightDecay: 0.1, momentum: optimizer === 'sgd' ? 0.9 : 0 });
  return { g, io };
}

const X = [1, -2, 0.5];
const T = [0.3, 0.1, -1];
const gradOf = (w: number[]) => w.map((wi, i) => 2 * X[i]! * (wi * X[i]! - T[i]!));

describe('optimizer graphs', () => {
  it('AdamW over 3 steps matches a scalar reference of torch.optim.AdamW', async () => {
    const { g } = build('adamw');
    const s = await session(g);
    let w = [0.5, -0.25, 2];
    let m = [0, 0, 0];
    let v = [0, 0, 0];
    let rw = w.slice(), rm = m.slice(), rv = v.slice();
    const lr = 0.05;
    for (let step = 1; step <= 3; step++) {
      const out = await s.run({
        w: tensor('float64', Float64Array.from(w), [3]), 'w.m': tensor('float64', Float64Array.from(m), [3]),
        'w.v': tensor('float64', Float64Array.from(v), [3]), lr: tensor('float64', Float64Array.from([lr]), []),
        step: tensor('float64', Float64Array.from([step]), []),
      });
      w = Array.from(out['w.new']!.data as Float64Array);
      m = Array.from(out['w.m.new']!.data as Float64Array);
      v = Array.from(out['w.v.new']!.data as Float64Array);
      const gr = gradOf(rw);
      rw = rw.map((p) => p * (1 - lr * 0.1));
      rm = rm.map((mi, i) => mi * 0.9 + gr[i]! * 0.1);
      rv = rv.map((vi, i) => vi * 0.999 + gr[i]! * gr[i]! * 0.001);
      const bc1 = 1 - 0.9 ** step, bc2 = 1 - 0.999 ** step;
      rw = rw.map((p, i) => p - (lr / bc1) * (rm[i]! / (Math.sqrt(rv[i]!) / Math.sqrt(bc2) + 1e-8)));
      w.forEach((wi, i) => expect(wi).toBeCloseTo(rw[i]!, 13));
    }
  });

  it('SGD with momentum and weight decay', async () => {
    const { g } = build('sgd');
    const s = await session(g);
    const w = [0.5, -0.25, 2];
    const out = await s.run({ w: tensor('float64', Float64Array.from(w), [3]), 'w.buf': tensor('float64', Float64Array.from([1, 1, 1]), [3]), lr: tensor('float64', Float64Array.from([0.1]), []) });
    const buf = gradOf(w).map((gi, i) => 0.9 + gi + 0.1 * w[i]!);
    Array.from(out['w.new']!.data as Float64Array).forEach((wi, i) => expect(wi).toBeCloseTo(w[i]! - 0.1 * buf[i]!, 13));
  });

  it('global-norm clipping scales gradients to the threshold and reports the norm', async () => {
    const g = new Graph('clip');
    const a = g.input('a', 'float64', [2]);
    const b = g.input('b', 'float64', [1, 2]);
    const c = clipGradNorm([a, b], 2.5);
    g.output(c.norm, 'norm');
    g.output(c.grads[0]!, 'ca');
    g.output(c.grads[1]!, 'cb');
    const s = await session(g);
    const out = await s.run({ a: tensor('float64', Float64Array.from([3, 4]), [2]), b: tensor('float64', Float64Array.from([0, 12]), [1, 2]) });
    expect(out['norm']!.data[0]).toBeCloseTo(13, 12);
    const k = 2.5 / (13 + 1e-6);
    expect(Array.from(out['ca']!.data as Float64Array)).toEqual([3 * k, 4 * k]);
    const small = await s.run({ a: tensor('float64', Float64Array.from([0.3, 0.4]), [2]), b: tensor('float64', Float64Array.from([0, 0]), [1, 2]) });
    expect(Array.from(small['ca']!.data as Float64Array)).toEqual([0.3, 0.4]);
  });
});

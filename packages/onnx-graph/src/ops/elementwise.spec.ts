import { Graph } from '../graph';
import { add, cos, div, erf, exp, log, mul, neg, pow, reciprocal, relu, sigmoid, sin, sqrt, sub, tanh, where, greater, cast } from './elementwise';
import { gradCheck, randn, rng } from '../../test/gradcheck';

type Shapes = [number[], number[]];
const binaryCases: [string, typeof add, Shapes][] = [
  ['Add', add, [[2, 3, 4], [3, 1]]],
  ['Sub', sub, [[3, 1], [2, 3, 4]]],
  ['Mul', mul, [[2, 1, 4], [3, 1]]],
  ['Div', div, [[2, 3], [1, 3]]],
  ['Pow', pow, [[2, 3], [3]]],
];

describe('elementwise gradients (float64 central differences on ORT CPU)', () => {
  it.each(binaryCases)('%s with broadcasting', async (_name, op, [sa, sb]) => {
    const rand = rng(sa.length * 10 + sb.length);
    const g = new Graph('t');
    const a = g.input('a', 'float64', sa);
    const b = g.input('b', 'float64', sb);
    // Positive operands keep Pow and Div away from singularities.
    const da = randn(rand, sa, 0.5, 2);
    const db = randn(rand, sb, 0.5, 2);
    const y = op(a, b);
    expect(await gradCheck(g, [{ value: a, data: da, shape: sa }, { value: b, data: db, shape: sb }], y)).toBeLessThan(1);
  });

  const unary: [string, (x: never) => unknown, number, number][] = [
    ['Neg', neg, -1, 1], ['Sqrt', sqrt, 0.5, 2], ['Reciprocal', reciprocal, 0.5, 2], ['Exp', exp, -1, 1], ['Log', log, 0.5, 2],
    ['Tanh', tanh, -2, 2], ['Sigmoid', sigmoid, -2, 2], ['Cos', cos, -2, 2], ['Sin', sin, -2, 2], ['Relu', relu, -2, 2],
  ];
  it.each(unary)('%s', async (_n, op, lo, hi) => {
    const g = new Graph('t');
    const x = g.input('x', 'float64', [3, 4]);
    const y = (op as (v: typeof x) => typeof x)(x);
    expect(await gradCheck(g, [{ value: x, data: randn(rng(3), [3, 4], lo, hi), shape: [3, 4] }], y)).toBeLessThan(1);
  });

  it('Erf (float32: ORT has no float64 Erf kernel)', async () => {
    const g = new Graph('t');
    const x = g.input('x', 'float32', [5]);
    const y = erf(x);
    const data = Float32Array.from(randn(rng(4), [5]));
    expect(await gradCheck(g, [{ value: x, data, shape: [5] }], y, { h: 1e-2, rtol: 2e-3, atol: 1e-3 })).toBeLessThan(1);
  });

  it('Where routes the gradient by condition, and Cast passes it through', async () => {
    const g = new Graph('t');
    const a = g.input('a', 'float64', [2, 3]);
    const b = g.input('b', 'float64', [3]);
    const y = where(greater(a, 0), cast(cast(a, 'float32'), 'float64'), mul(b, b));
    // Cast through float32 loses precision, so compare loosely.
    const r = rng(5);
    expect(await gradCheck(g, [{ value: a, data: randn(r, [2, 3]), shape: [2, 3] }, { value: b, data: randn(r, [3]), shape: [3] }], y, { h: 1e-3, rtol: 1e-4, atol: 1e-5 })).toBeLessThan(1);
  });
});

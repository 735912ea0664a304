import { Graph } from './graph';
import { grad } from './autodiff';
import { add, cast, mul, stopGradient, sub } from './ops/elementwise';
import { reduceSum } from './ops/reduce';
import { matmul } from './ops/matmul';
import { gradCheck, randn, rng, session, tensor } from '../test/gradcheck';
import { GradientError } from './errors';

describe('grad', () => {
  it('sums the contributions of a value used several times', async () => {
    // y = x·x + 3x  ->  dy/dx = 2x + 3
    const g = new Graph('t');
    const x = g.input('x', 'float64', [3]);
    const loss = g.output(reduceSum(add(mul(x, x), mul(x, 3)), undefined, false), 'loss');
    g.output(grad(g, loss, [x])[0]!, 'dx');
    const s = await session(g);
    const out = await s.run({ x: tensor('float64', Float64Array.from([1, -2, 0.5]), [3]) });
    expect(Array.from(out['dx']!.data as Float64Array)).toEqual([5, -1, 4]);
  });

  it('stops gradients at stopGradient, and the finite-difference check catches the difference', async () => {
    const g = new Graph('t');
    const x = g.input('x', 'float64', [2]);
    const y = mul(stopGradient(x), x);
    // d/dx of sg(x)·x is sg(x) = x, not 2x: analytic and numeric derivatives must disagree.
    expect(await gradCheck(g, [{ value: x, data: Float64Array.from([1.5, -2]), shape: [2] }], y)).toBeGreaterThan(1e3);
  });

  it('returns zeros for inputs the loss does not depend on, and grads of intermediates', async () => {
    const g = new Graph('t');
    const a = g.input('a', 'float64', [2, 2]);
    const unused = g.input('u', 'float64', [3]);
    const h = matmul(a, a);
    const loss = g.output(reduceSum(h, undefined, false), 'loss');
    const [du, dh] = grad(g, loss, [unused, h]);
    g.output(du!, 'du');
    g.output(dh!, 'dh');
    const s = await session(g);
    const out = await s.run({ a: tensor('float64', randn(rng(1), [2, 2]), [2, 2]), u: tensor('float64', new Float64Array(3), [3]) });
    expect(Array.from(out['du']!.data as Float64Array)).toEqual([0, 0, 0]);
    expect(Array.from(out['dh']!.data as Float64Array)).toEqual([1, 1, 1, 1]);
  });

  it('names the node it cannot differentiate and ignores integer paths', () => {
    const g = new Graph('t');
    const x = g.input('x', 'float64', [2]);
    const k = cast(x, 'int64');
    const bad = g.emit('Floor', [x], {}, () => [{ dtype: 'float64', shape: [2] }], { name: 'my_floor' })[0]!;
    const loss = reduceSum(sub(bad, cast(k, 'float64')), undefined, false);
    expect(() => grad(g, loss, [x])).toThrow(new GradientError('my_floor', 'Floor', 'no gradient rule for this op'));
  });
});

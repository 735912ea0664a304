import { Graph } from '../graph';
import { grad } from '../autodiff';
import { reduceSum } from './reduce';
import { logSigmoid, softplus } from './log-sigmoid';
import { gradCheck, randn, rng, session, tensor } from '../../test/gradcheck';

const XS = [-800, -30, -1, -1e-3, 0, 1e-3, 1, 30, 800];
// Exact references in float64: ln(1 + eˣ) = max(x, 0) + log1p(e^−|x|), σ(x) = 1 / (1 + e^−x).
const softplusRef = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const sigmoidRef = (x: number) => 1 / (1 + Math.exp(-x));

async function valueAndGrad(op: typeof softplus, dtype: 'float32' | 'float64') {
  const g = new Graph('t');
  const x = g.input('x', dtype, [XS.length]);
  const y = g.output(op(x), 'y');
  g.output(grad(g, reduceSum(y, undefined, false), [x])[0]!, 'dx');
  const s = await session(g);
  const data = dtype === 'float32' ? Float32Array.from(XS) : Float64Array.from(XS);
  const out = await s.run({ x: tensor(dtype, data, [XS.length]) });
  return { y: Array.from(out['y']!.data as Float64Array), dx: Array.from(out['dx']!.data as Float64Array) };
}

describe('softplus and logSigmoid', () => {
  it.each(['float32', 'float64'] as const)('logSigmoid has gradient 0.5 at 0 and σ(−x) elsewhere, finite at ±800 (%s)', async (dtype) => {
    const { y, dx } = await valueAndGrad(logSigmoid, dtype);
    const tol = dtype === 'float64' ? 1e-12 : 1e-6;
    XS.forEach((x, i) => {
      expect(Math.abs(y[i]! + softplusRef(-x))).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(x)));
      expect(Math.abs(dx[i]! - sigmoidRef(-x))).toBeLessThanOrEqual(tol);
    });
    expect(dx[XS.indexOf(0)]).toBe(0.5);
    expect(y[XS.indexOf(0)]).toBeCloseTo(-Math.LN2, dtype === 'float64' ? 15 : 6);
    expect(y[0]).toBe(-800);
  });

  it('softplus value and gradient σ(x)', async () => {
    const { y, dx } = await valueAndGrad(softplus, 'float64');
    XS.forEach((x, i) => {
      expect(Math.abs(y[i]! - softplusRef(x))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(x)));
      expect(Math.abs(dx[i]! - sigmoidRef(x))).toBeLessThanOrEqual(1e-12);
    });
    expect(y[XS.length - 1]).toBe(800);
  });

  it.each([
    ['logSigmoid', logSigmoid],
    ['softplus', softplus],
  ] as const)('%s passes the finite-difference check (float64)', async (_name, op) => {
    const g = new Graph('t');
    const x = g.input('x', 'float64', [3, 4]);
    expect(await gradCheck(g, [{ value: x, data: randn(rng(5), [3, 4], -4, 4), shape: [3, 4] }], op(x))).toBeLessThan(1);
  });
});

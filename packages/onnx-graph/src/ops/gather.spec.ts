import { Graph } from '../graph';
import { gather, gatherElements } from './gather';
import { gradCheck, randn, rng } from '../../test/gradcheck';

describe('gather gradients (scatter-add)', () => {
  it.each([0, 1, 2])('Gather axis %d with repeated indices', async (axis) => {
    const g = new Graph('t');
    const shape = [3, 4, 2];
    const x = g.input('x', 'float64', shape);
    const ids = g.input('ids', 'int64', [2, 2]);
    const y = gather(x, ids, axis);
    const data = BigInt64Array.from([0n, 1n, 1n, -1n]);
    const r = await gradCheck(g, [{ value: x, data: randn(rng(41 + axis), shape), shape }, { value: ids, data, shape: [2, 2] }], y);
    expect(r).toBeLessThan(1);
  });

  it('GatherElements', async () => {
    const g = new Graph('t');
    const x = g.input('x', 'float64', [3, 4]);
    const ids = g.input('ids', 'int64', [3, 2]);
    const y = gatherElements(x, ids, 1);
    const data = BigInt64Array.from([0n, 0n, 3n, 1n, 2n, 2n]);
    expect(await gradCheck(g, [{ value: x, data: randn(rng(43), [3, 4]), shape: [3, 4] }, { value: ids, data, shape: [3, 2] }], y)).toBeLessThan(1);
  });
});

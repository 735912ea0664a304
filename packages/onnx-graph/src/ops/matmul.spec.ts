import { Graph } from '../graph';
import { gemm, matmul } from './matmul';
import { gradCheck, randn, rng } from '../../test/gradcheck';
import { ShapeError, DTypeError } from '../errors';

describe('MatMul / Gemm', () => {
  it.each([
    [[3, 4], [4, 2]],
    [[2, 3, 4], [4, 5]],
    [[2, 1, 3, 4], [3, 4, 2]],
    [[4], [2, 4, 3]],
    [[2, 3, 4], [4]],
  ])('MatMul %j @ %j', async (sa, sb) => {
    const r = rng(sa.length * 7 + sb.length);
    const g = new Graph('t');
    const a = g.input('a', 'float64', sa);
    const b = g.input('b', 'float64', sb);
    const y = matmul(a, b);
    expect(await gradCheck(g, [{ value: a, data: randn(r, sa), shape: sa }, { value: b, data: randn(r, sb), shape: sb }], y)).toBeLessThan(1);
  });

  it.each([
    [false, false], [true, false], [false, true], [true, true],
  ])('Gemm transA=%s transB=%s with broadcast C', async (tA, tB) => {
    const r = rng(21);
    const g = new Graph('t');
    const sa = tA ? [4, 3] : [3, 4];
    const sb = tB ? [2, 4] : [4, 2];
    const a = g.input('a', 'float64', sa);
    const b = g.input('b', 'float64', sb);
    const c = g.input('c', 'float64', [2]);
    const y = gemm(a, b, c, { alpha: 0.7, beta: 1.3, transA: tA, transB: tB });
    expect(y.shape).toEqual([3, 2]);
    const inputs = [{ value: a, data: randn(r, sa), shape: sa }, { value: b, data: randn(r, sb), shape: sb }, { value: c, data: randn(r, [2]), shape: [2] }];
    expect(await gradCheck(g, inputs, y)).toBeLessThan(1);
  });

  it('infers symbolic batch dims and names the node on mismatches', () => {
    const g = new Graph('t');
    const x = g.input('x', 'float32', ['batch_size', 'seq', 8]);
    const w = g.input('w', 'float32', [8, 16]);
    expect(matmul(x, w).shape).toEqual(['batch_size', 'seq', 16]);
    const bad = g.input('bad', 'float32', [7, 16]);
    expect(() => matmul(x, bad, 'proj')).toThrow(ShapeError);
    expect(() => matmul(x, bad, 'proj2')).toThrow(/MatMul node 'proj2': inner dims differ: 8 vs 7/);
    const ints = g.input('ints', 'int64', [8, 16]);
    expect(() => matmul(x, ints, 'mixed')).toThrow(DTypeError);
  });
});

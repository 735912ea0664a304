import { Graph } from '../graph';
import { constantOfShape, expand, range, reshape, shapeOf, squeeze, transpose, unsqueeze } from './shape-ops';
import { gather } from './gather';
import { concat, slice, split } from './slice-concat';
import { mul } from './elementwise';
import { gradCheck, randn, rng } from '../../test/gradcheck';

const one = (shape: number[], build: (g: Graph, x: ReturnType<Graph['input']>) => ReturnType<Graph['input']>) => async () => {
  const g = new Graph('t');
  const x = g.input('x', 'float64', shape);
  const y = build(g, x);
  return gradCheck(g, [{ value: x, data: randn(rng(shape.length + 31), shape), shape }], y);
};

describe('shape op gradients', () => {
  it('Reshape', async () => expect(await one([2, 3, 4], (_g, x) => reshape(x, [0, -1]))()).toBeLessThan(1));
  it('Transpose', async () => expect(await one([2, 3, 4], (_g, x) => transpose(x, [2, 0, 1]))()).toBeLessThan(1));
  it('Squeeze/Unsqueeze', async () => expect(await one([2, 1, 3], (_g, x) => unsqueeze(squeeze(x, [1]), [0, 3]))()).toBeLessThan(1));
  it('Expand (broadcast)', async () => expect(await one([3, 1], (_g, x) => expand(x, [2, 3, 4]))()).toBeLessThan(1));
  it('Slice with steps and negatives', async () => expect(await one([5, 6], (_g, x) => slice(x, [1, -1], [4, 0], [0, 1], [2, -2]))()).toBeLessThan(1));
  it('Split (one output unused)', async () =>
    expect(await one([2, 7], (_g, x) => split(x, [2, 3, 2], 1)[1]!)()).toBeLessThan(1));
  it('Split outputs recombined', async () =>
    expect(await one([6, 2], (_g, x) => { const [a, b] = split(x, [3, 3], 0); return mul(a!, b!); })()).toBeLessThan(1));
  it('Concat (an input used twice)', async () =>
    expect(await one([2, 3], (_g, x) => concat([x, mul(x, x), x], 1))()).toBeLessThan(1));
  it('Concat with symbolic sizes uses a runtime split', async () => {
    const g = new Graph('t');
    const x = g.input('x', 'float64', ['n', 3]);
    const y = concat([x, mul(x, x)], 0);
    expect(y.shape[1]).toBe(3);
    const r = await gradCheck(g, [{ value: x, data: randn(rng(3), [2, 3]), shape: [2, 3] }], reshape(y, [4, 3]));
    expect(r).toBeLessThan(1);
  });
});

describe('shape inference', () => {
  it('propagates symbolic dims through Shape, Slice, Concat and Reshape', () => {
    const g = new Graph('t');
    const x = g.input('x', 'float32', ['batch_size', 'seq', 64]);
    const heads = reshape(x, concat([slice(shapeOf(x), [0], [2]), g.int64s([8, 8])], 0));
    expect(heads.shape).toEqual(['batch_size', 'seq', 8, 8]);
    expect(reshape(heads, [0, 0, -1]).shape).toEqual(['batch_size', 'seq', 64]);
    expect(reshape(x, [-1, 64]).shape[1]).toBe(64);
    expect(slice(x, [1], [3], [2]).shape).toEqual(['batch_size', 'seq', 2]);
    expect(() => reshape(g.input('s', 'float32', [2, 3]), [4, -1], 'rs')).toThrow(/Reshape node 'rs'/);
  });
});

describe('symbolic lengths through Shape → Gather → Range', () => {
  it('Range(0, shape[1], 1) has the symbolic length of axis 1', () => {
    const g = new Graph('t');
    const x = g.input('x', 'float32', ['batch_size', 'sequence_length', 8]);
    const s = gather(shapeOf(x), g.scalar(1, 'int64'), 0);
    expect(s.shapeContents).toEqual(['sequence_length']);
    expect(range(g.scalar(0, 'int64'), s, g.scalar(1, 'int64')).shape).toEqual(['sequence_length']);
    // Other starts or steps stay unknown rather than guessed.
    expect(range(g.scalar(1, 'int64'), s, g.scalar(1, 'int64')).shape[0]).not.toBe('sequence_length');
    expect(gather(shapeOf(x), g.int64s([2, 0]), 0).shapeContents).toEqual([8, 'batch_size']);
  });
});

describe('constantOfShape value encoding', () => {
  it.each([
    ['float16', 0x3c00],
    ['bfloat16', 0x3f80],
  ] as const)('stores 1.0 as %s bits', (dtype, bits) => {
    const g = new Graph('c');
    const c = constantOfShape(g, [2], 1, dtype);
    const value = c.producer!.attrs['value'] as { kind: 'tensor'; value: { data: Uint16Array } };
    expect(value.value.data[0]).toBe(bits);
  });
});

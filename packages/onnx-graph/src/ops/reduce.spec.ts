import * as ort from 'onnxruntime-node';
import { Graph } from '../graph';
import { serializeModel } from '../serialize';
import { cumSum, reduceMax, reduceMean, reduceSum } from './reduce';
import { softmax, logSoftmax } from './softmax';
import { gradCheck, randn, rng } from '../../test/gradcheck';
import { DTypeError, ShapeError } from '../errors';

const cases: [string, typeof reduceSum, number[] | undefined, boolean][] = [
  ['ReduceSum', reduceSum, [1], true],
  ['ReduceSum', reduceSum, [0, 2], false],
  ['ReduceSum', reduceSum, undefined, false],
  ['ReduceMean', reduceMean, [-1], true],
  ['ReduceMean', reduceMean, [0], false],
  ['ReduceMax', reduceMax, [1], true],
  ['ReduceMax', reduceMax, [2], false],
];

describe('reductions', () => {
  it.each(cases)('%s axes=%j keepdims=%s', async (_n, op, axes, keep) => {
    const g = new Graph('t');
    const x = g.input('x', 'float64', [2, 3, 4]);
    const y = op(x, axes, keep);
    expect(await gradCheck(g, [{ value: x, data: randn(rng(11), [2, 3, 4]), shape: [2, 3, 4] }], y)).toBeLessThan(1);
  });

  it('infers symbolic shapes and rejects bad axes naming the node', () => {
    const g = new Graph('t');
    const x = g.input('x', 'float32', ['batch', 5, 7]);
    expect(reduceSum(x, [1], false).shape).toEqual(['batch', 7]);
    expect(reduceMean(x, [-1]).shape).toEqual(['batch', 5, 1]);
    expect(() => reduceSum(x, [3], true, 'bad_sum')).toThrow(new ShapeError('bad_sum', 'ReduceSum', 'axis 3 out of range for rank 3'));
  });
});

describe('softmax family', () => {
  it.each([[softmax, 1], [softmax, -1], [logSoftmax, 0], [logSoftmax, -1]] as const)('%p axis %d', async (op, axis) => {
    const g = new Graph('t');
    const x = g.input('x', 'float64', [3, 4]);
    const y = op(x, axis);
    expect(await gradCheck(g, [{ value: x, data: randn(rng(12), [3, 4], -2, 2), shape: [3, 4] }], y)).toBeLessThan(1);
  });
});

describe('cumSum', () => {
  it('sums int64 prefixes along an axis on ORT and rejects float input', async () => {
    const g = new Graph('cs');
    const x = g.input('x', 'int64', [2, 3]);
    g.output(cumSum(x, 1), 'y');
    const session = await ort.InferenceSession.create(serializeModel(g).model);
    const out = await session.run({ x: new ort.Tensor('int64', BigInt64Array.from([1n, 0n, 1n, 2n, 3n, 4n]), [2, 3]) });
    expect(Array.from(out['y']!.data as BigInt64Array, Number)).toEqual([1, 1, 2, 2, 5, 9]);
    expect(() => cumSum(g.input('f', 'float32', [3]))).toThrow(DTypeError);
  });
});

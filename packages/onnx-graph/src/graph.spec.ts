import { Graph } from './graph';
import { add, cast, matmul, reshape, softmax, where } from './index';
import { DTypeError, GraphBuildError, ShapeError } from './errors';

describe('Graph builder', () => {
  it('tracks symbolic dims and dtypes through ops', () => {
    const g = new Graph('t');
    const x = g.input('x', 'float32', ['batch_size', 'seq', 16]);
    const w = g.initializer('w', { dtype: 'float32', shape: [16, 4], data: new Float32Array(64) });
    const y = softmax(add(matmul(x, w), 1));
    expect([y.dtype, y.shape]).toEqual(['float32', ['batch_size', 'seq', 4]]);
    expect(cast(y, 'float16').dtype).toBe('float16');
    expect(g.nodes.map((n) => n.opType)).toEqual(['MatMul', 'Add', 'Softmax', 'Cast']);
  });

  it('names the node in shape and dtype errors', () => {
    const g = new Graph('t');
    const a = g.input('a', 'float32', [2, 3]);
    const b = g.input('b', 'float32', [4, 3]);
    const i = g.input('i', 'int64', [2, 3]);
    expect(() => add(a, b, 'sum_ab')).toThrow(new ShapeError('sum_ab', 'Add', 'shapes [2, 3] and [4, 3] do not broadcast'));
    expect(() => add(a, i, 'mixed')).toThrow(DTypeError);
    expect(() => add(a, i, 'mixed2')).toThrow(/Add node 'mixed2': expected dtype float32, got int64 \(input 'i'\)/);
    expect(() => where(a, a, a, 'w')).toThrow(/Where node 'w'/);
    expect(() => reshape(a, [5, -1], 'r')).toThrow(/Reshape node 'r': cannot reshape/);
  });

  it('rejects duplicate names, values of other graphs and re-used outputs', () => {
    const g = new Graph('g');
    const x = g.input('x', 'float32', [2]);
    expect(() => g.input('x', 'float32', [2])).toThrow(GraphBuildError);
    const other = new Graph('h').input('y', 'float32', [2]);
    expect(() => add(x, other)).toThrow(/belongs to graph 'h'/);
    expect(() => g.output(x)).toThrow(GraphBuildError);
    expect(g.output(x, 'x_out').name).toBe('x_out');
  });

  it('names a node output in place and copies through Identity only for inputs and values already out', () => {
    const g = new Graph('g');
    const x = g.input('x', 'float32', [2]);
    const y = add(x, 1);
    const kept = softmax(y);
    expect(g.output(y, 'present')).toBe(y);
    expect(y.name).toBe('present');
    expect(kept.producer!.inputs[0]!.name).toBe('present'); // consumers read the renamed tensor
    const again = g.output(y, 'present_copy');
    expect(again).not.toBe(y);
    expect(g.output(x, 'x_out').producer!.opType).toBe('Identity');
    expect(g.nodes.map((n) => n.opType)).toEqual(['Add', 'Softmax', 'Identity', 'Identity']);
    expect(() => g.output(kept, 'present')).toThrow(/already used/);
  });

  it('shares small constants', () => {
    const g = new Graph('g');
    expect(g.scalar(0.5, 'float32')).toBe(g.scalar(0.5, 'float32'));
    expect(g.scalar(0.5, 'float32')).not.toBe(g.scalar(0.5, 'float64'));
    expect(g.initializers.size).toBe(2);
  });
});

import { AttrValue, Value, attr, constInts, knownDims } from '../graph';
import type { GradRule } from '../grad-rule';
import { Dim } from '../shape';
import { cast } from './elementwise';
import { transpose, unsqueeze, zerosLike } from './shape-ops';

const INDEX_TYPES = ['int64', 'int32'] as ('int64' | 'int32')[];

/** data.take(indices, axis): out = data[:axis] + indices.shape + data[axis+1:]. */
export function gather(data: Value, indices: Value, axis = 0, name?: string): Value {
  const y = data.graph.emit('Gather', [data, indices], { axis: attr.int(axis) }, (ctx) => {
    ctx.dtype(indices, INDEX_TYPES);
    const a = ctx.axis(axis, data.rank);
    return [{ dtype: data.dtype, shape: [...data.shape.slice(0, a), ...indices.shape, ...data.shape.slice(a + 1)] }];
  }, { name })[0]!;
  // Picking entries of a known shape tensor keeps them known (a scalar stores its one dim), so
  // e.g. Range(0, shape[1], 1) has the symbolic length of that axis.
  if (data.rank !== 1 || data.dtype !== 'int64' || indices.rank > 1) return y;
  const dims = knownDims(data);
  const idx = constInts(indices);
  if (dims && idx) {
    const picked = idx.map((i) => dims[i < 0 ? i + dims.length : i]);
    if (picked.every((d) => d !== undefined)) y.shapeContents = picked as Dim[];
  }
  return y;
}

/** torch.gather: out[i][j] = data[index[i][j]][j] along `axis`; out has indices' shape. */
export function gatherElements(data: Value, indices: Value, axis = 0, name?: string): Value {
  return data.graph.emit('GatherElements', [data, indices], { axis: attr.int(axis) }, (ctx) => {
    ctx.dtype(indices, INDEX_TYPES);
    ctx.axis(axis, data.rank);
    if (indices.rank !== data.rank) ctx.fail(`indices rank ${indices.rank} differs from data rank ${data.rank}`);
    return [{ dtype: data.dtype, shape: indices.shape }];
  }, { name })[0]!;
}

/** Writes (or with reduction 'add', accumulates) `updates` into a copy of data at index tuples. */
export function scatterND(data: Value, indices: Value, updates: Value, reduction: 'none' | 'add' = 'add', name?: string): Value {
  const attrs: Record<string, AttrValue> = reduction === 'none' ? {} : { reduction: attr.string(reduction) };
  return data.graph.emit('ScatterND', [data, indices, updates], attrs, (ctx) => {
    ctx.dtype(indices, ['int64']);
    ctx.same(data, updates);
    return [{ dtype: data.dtype, shape: data.shape }];
  }, { name })[0]!;
}

/** Inverse of GatherElements: writes/accumulates updates[i][j] at data[index[i][j]][j]. */
export function scatterElements(data: Value, indices: Value, updates: Value, axis = 0, reduction: 'none' | 'add' = 'add', name?: string): Value {
  const attrs: Record<string, AttrValue> = { axis: attr.int(axis) };
  if (reduction !== 'none') attrs['reduction'] = attr.string(reduction);
  return data.graph.emit('ScatterElements', [data, indices, updates], attrs, (ctx) => {
    ctx.dtype(indices, INDEX_TYPES);
    ctx.same(data, updates);
    return [{ dtype: data.dtype, shape: data.shape }];
  }, { name })[0]!;
}

/** Gradient rules of the gathers: scatter-add the output gradient back. */
export const gatherGradRules: Record<string, GradRule> = {
  Gather: ({ node, inputs, dOut, needs }) => {
    if (!needs[0]) return [undefined, undefined];
    const [data, ind] = inputs as [Value, Value];
    const axis = ((node.attrs['axis']!.value as number) + data.rank) % data.rank;
    const idx = unsqueeze(ind.dtype === 'int64' ? ind : cast(ind, 'int64'), [-1]);
    if (axis === 0) return [scatterND(zerosLike(data), idx, dOut[0]!), undefined];
    // Move the gathered axis to the front so ScatterND indexes it, then move it back.
    const r = ind.rank;
    const rest = (n: number, from: number) => Array.from({ length: n }, (_, i) => from + i);
    const dyPerm = [...rest(r, axis), ...rest(axis, 0), ...rest(data.rank - axis - 1, axis + r)];
    const dataPerm = [axis, ...rest(axis, 0), ...rest(data.rank - axis - 1, axis + 1)];
    const back = dataPerm.map((_, i) => dataPerm.indexOf(i));
    const z = zerosLike(transpose(data, dataPerm));
    return [transpose(scatterND(z, idx, transpose(dOut[0]!, dyPerm)), back), undefined];
  },
  GatherElements: ({ node, inputs, dOut, needs }) => {
    if (!needs[0]) return [undefined, undefined];
    const [data, ind] = inputs as [Value, Value];
    return [scatterElements(zerosLike(data), ind, dOut[0]!, node.attrs['axis']!.value as number), undefined];
  },
};

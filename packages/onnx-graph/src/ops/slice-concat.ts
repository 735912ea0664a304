import { Value, attr, knownDims } from '../graph';
import type { GradRule } from '../grad-rule';
import { Dim } from '../shape';
import { scatterND } from './gather';
import { range, reshape, shapeOf, size, zerosLike, constantOfShape } from './shape-ops';

/** Joins tensors along `axis`. */
export function concat(xs: Value[], axis: number, name?: string): Value {
  const g = xs[0]!.graph;
  const y = g.emit('Concat', xs, { axis: attr.int(axis) }, (ctx) => {
    ctx.same(...xs);
    const rank = xs[0]!.rank;
    const a = ctx.axis(axis, rank);
    const out: Dim[] = [...xs[0]!.shape];
    let total: number | undefined = 0;
    for (const x of xs) {
      if (x.rank !== rank) ctx.fail(`input '${x.name}' has rank ${x.rank}, expected ${rank}`);
      x.shape.forEach((d, i) => {
        if (i !== a && typeof d === 'number' && typeof out[i] === 'number' && d !== out[i]) ctx.fail(`input '${x.name}' has size ${d} on axis ${i}, expected ${out[i]}`);
      });
      const d = x.shape[a]!;
      total = typeof d === 'number' && total !== undefined ? total + d : undefined;
    }
    out[a] = total ?? (xs.length === 1 ? xs[0]!.shape[a]! : ctx.unknown(a));
    return [{ dtype: xs[0]!.dtype, shape: out }];
  }, { name })[0]!;
  const parts = xs.map(knownDims);
  if (y.rank === 1 && parts.every((p) => p !== undefined)) y.shapeContents = parts.flat() as Dim[];
  return y;
}

/** x[starts:ends:steps] along `axes` (all leading axes when omitted). */
export function slice(x: Value, starts: number[], ends: number[], axes?: number[], steps?: number[], name?: string): Value {
  const g = x.graph;
  const ax = axes ?? starts.map((_, i) => i);
  const st = steps ?? starts.map(() => 1);
  const inputs = [x, g.int64s(starts), g.int64s(ends), g.int64s(ax), g.int64s(st)];
  let contents: Dim[] | undefined;
  const y = g.emit('Slice', inputs, {}, (ctx) => {
    const out: Dim[] = [...x.shape];
    const src = x.rank === 1 ? knownDims(x) : undefined;
    ax.forEach((a0, k) => {
      const a = ctx.axis(a0, x.rank);
      const d = x.shape[a]!;
      const [s0, e0, step] = [starts[k]!, ends[k]!, st[k]!];
      if (step === 0) ctx.fail('slice step cannot be 0');
      if (typeof d !== 'number') {
        out[a] = s0 === 0 && e0 >= 2 ** 31 && step === 1 ? d : ctx.unknown(a);
        return;
      }
      const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
      const s = step > 0 ? clamp(s0 < 0 ? s0 + d : s0, 0, d) : clamp(s0 < 0 ? s0 + d : s0, -1, d - 1);
      const e = step > 0 ? clamp(e0 < 0 ? e0 + d : e0, 0, d) : clamp(e0 < 0 ? e0 + d : e0, -1, d - 1);
      out[a] = Math.max(0, Math.ceil((e - s) / step));
      if (src && a === 0) contents = Array.from({ length: out[a] as number }, (_, i) => src[s + i * step]!);
    });
    return [{ dtype: x.dtype, shape: out }];
  }, { name })[0]!;
  if (contents) y.shapeContents = contents;
  return y;
}

/** Splits x along `axis` into pieces of the given sizes. */
export function split(x: Value, sizes: number[], axis = 0, name?: string): Value[] {
  const g = x.graph;
  return g.emit('Split', [x, g.int64s(sizes)], { axis: attr.int(axis) }, (ctx) => {
    const a = ctx.axis(axis, x.rank);
    const d = x.shape[a]!;
    const total = sizes.reduce((s, v) => s + v, 0);
    if (typeof d === 'number' && d !== total) ctx.fail(`split sizes [${sizes}] sum to ${total}, axis ${a} has ${d}`);
    return sizes.map((s) => ({ dtype: x.dtype, shape: x.shape.map((dd, i) => (i === a ? s : dd)) }));
  }, { name });
}

/** Split with a runtime sizes tensor (used by Concat's gradient when sizes are symbolic). */
function splitDynamic(x: Value, sizes: Value, parts: Value[], axis: number): Value[] {
  return x.graph.emit('Split', [x, sizes], { axis: attr.int(axis) }, () => parts.map((p) => ({ dtype: x.dtype, shape: p.shape })));
}

/** Gradient rules of Concat, Slice and Split. */
export const sliceConcatGradRules: Record<string, GradRule> = {
  Concat: ({ node, inputs, dOut }) => {
    const xs = inputs as Value[];
    const axis = ((node.attrs['axis']!.value as number) + xs[0]!.rank) % xs[0]!.rank;
    const dims = xs.map((x) => x.shape[axis]!);
    if (dims.every((d) => typeof d === 'number')) return split(dOut[0]!, dims as number[], axis);
    const sizes = concat(xs.map((x) => slice(shapeOf(x), [axis], [axis + 1])), 0);
    return splitDynamic(dOut[0]!, sizes, xs, axis);
  },
  // Slicing an index tensor the same way gives the flat positions to scatter dy into.
  Slice: ({ node, inputs, dOut }) => {
    const x = inputs[0]!;
    const g = x.graph;
    const n = size(x);
    const idx = reshape(range(g.scalar(0, 'int64'), n, g.scalar(1, 'int64')), shapeOf(x));
    const sel = g.emit('Slice', [idx, ...node.inputs.slice(1)], {}, () => [{ dtype: 'int64', shape: dOut[0]!.shape }])[0]!;
    const flat = constantOfShape(g, reshape(n, [1]), 0, x.dtype);
    const scattered = scatterND(flat, reshape(sel, [-1, 1]), reshape(dOut[0]!, [-1]));
    return [reshape(scattered, shapeOf(x))];
  },
  Split: ({ outputs, dOut, node }) => {
    const axis = node.attrs['axis']?.value as number;
    return [concat(outputs.map((y, i) => dOut[i] ?? zerosLike(y)), axis)];
  },
};

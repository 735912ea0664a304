import { GraphNode, InferContext, Value, attr } from '../graph';
import { GradientError } from '../errors';
import type { GradRule } from '../grad-rule';
import { Dim, Shape, staticSize } from '../shape';
import { cast, div, equal, mul } from './elementwise';
import { expand, shapeOf, size, unsqueeze } from './shape-ops';

function reducedShape(ctx: InferContext, shape: Shape, axes: number[] | undefined, keepdims: boolean): { shape: Dim[]; axes: number[] } {
  const norm = axes === undefined ? shape.map((_, i) => i) : axes.map((a) => ctx.axis(a, shape.length));
  const out: Dim[] = [];
  shape.forEach((d, i) => {
    if (!norm.includes(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return { shape: out, axes: norm };
}

function reduce(opType: string, x: Value, axes: number[] | undefined, keepdims: boolean, name?: string): Value {
  const g = x.graph;
  const inputs = axes === undefined ? [x] : [x, g.int64s(axes)];
  return g.emit(opType, inputs, { keepdims: attr.int(keepdims ? 1 : 0) }, (ctx) => {
    if (opType !== 'ReduceMax') ctx.dtype(x, 'float');
    return [{ dtype: x.dtype, shape: reducedShape(ctx, x.shape, axes, keepdims).shape }];
  }, { name })[0]!;
}

/** Sum over `axes` (all axes when omitted); keepdims defaults to true. */
/**
 * Inclusive cumulative sum along `axis` (ONNX CumSum) for integer tensors: index bookkeeping such as
 * "the k-th marked position". It has no gradient rule, so keep it off differentiable paths.
 */
export function cumSum(x: Value, axis = 0, name?: string): Value {
  return x.graph.emit('CumSum', [x, x.graph.scalar(axis, 'int64')], {}, (ctx) => {
    ctx.dtype(x, ['int64', 'int32']);
    ctx.axis(axis, x.rank);
    return [{ dtype: x.dtype, shape: x.shape }];
  }, { name })[0]!;
}

export const reduceSum = (x: Value, axes?: number[], keepdims = true, name?: string): Value => reduce('ReduceSum', x, axes, keepdims, name);
/** Mean over `axes`. */
export const reduceMean = (x: Value, axes?: number[], keepdims = true, name?: string): Value => reduce('ReduceMean', x, axes, keepdims, name);
/** Max over `axes`. */
export const reduceMax = (x: Value, axes?: number[], keepdims = true, name?: string): Value => reduce('ReduceMax', x, axes, keepdims, name);

/**
 * Sums a broadcast gradient back to `target`'s shape: ReduceSum over the leading extra axes, then over
 * the axes where `target` has size 1. Symbolic dims are assumed never to be a broadcast 1.
 */
export function sumToShape(dy: Value, target: Value): Value {
  let out = dy;
  const extra = dy.rank - target.rank;
  if (extra > 0) out = reduceSum(out, Array.from({ length: extra }, (_, i) => i), false);
  const ones = target.shape.flatMap((d, i) => (d === 1 && out.shape[i] !== 1 ? [i] : []));
  if (ones.length) out = reduceSum(out, ones, true);
  return out;
}

function axesOf(node: GraphNode, rank: number): number[] {
  const axesValue = node.inputs[1];
  if (!axesValue) return Array.from({ length: rank }, (_, i) => i);
  const c = axesValue.constData;
  if (!c) throw new GradientError(node.name, node.opType, 'reduction axes must be constant to differentiate');
  return Array.from(c as BigInt64Array, (a) => (Number(a) + rank) % rank);
}

/** dy broadcast back to x's shape (undoing keepdims=0 first). */
function spread(dy: Value, x: Value, axes: number[], keepdims: boolean): Value {
  const kept = keepdims ? dy : unsqueeze(dy, axes);
  return expand(kept, shapeOf(x));
}

/** Gradient rules of the reductions. */
export const reduceGradRules: Record<string, GradRule> = {
  ReduceSum: ({ node, inputs, dOut }) => {
    const x = inputs[0]!;
    return [spread(dOut[0]!, x, axesOf(node, x.rank), node.attrs['keepdims']?.value !== 0)];
  },
  ReduceMean: ({ node, inputs, outputs, dOut }) => {
    const x = inputs[0]!;
    const axes = axesOf(node, x.rank);
    const nx = staticSize(axes.map((a) => x.shape[a]!));
    const count = nx !== undefined ? nx : div(cast(size(x), x.dtype), cast(size(outputs[0]!), x.dtype));
    return [div(spread(dOut[0]!, x, axes, node.attrs['keepdims']?.value !== 0), count)];
  },
  // Ties share the gradient equally, as torch.amax does.
  ReduceMax: ({ node, inputs, outputs, dOut }) => {
    const x = inputs[0]!;
    const axes = axesOf(node, x.rank);
    const keep = node.attrs['keepdims']?.value !== 0;
    const y = keep ? outputs[0]! : unsqueeze(outputs[0]!, axes);
    const mask = cast(equal(x, y), x.dtype);
    const dy = keep ? dOut[0]! : unsqueeze(dOut[0]!, axes);
    return [mul(mask, div(dy, reduceSum(mask, axes, true)))];
  },
};

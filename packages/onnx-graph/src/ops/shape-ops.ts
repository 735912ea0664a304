import { InferContext, Value, attr, knownDims } from '../graph';
import type { GradRule } from '../grad-rule';
import { DType, allocTensorArray } from '../dtype';
import { narrow16 } from '../float16';
import { Dim, Shape, formatShape } from '../shape';
import { sumToShape } from './reduce';

/** A shape given as numbers or as a 1-D int64 tensor. */
export type ShapeArg = Value | readonly number[];

function shapeValue(x: Value, s: ShapeArg): Value {
  return s instanceof Value ? s : x.graph.int64s(s);
}

function shapeLength(ctx: InferContext, s: Value): number {
  const n = s.shape[0];
  if (s.rank !== 1 || typeof n !== 'number') ctx.fail(`shape input '${s.name}' must be 1-D with a static length`);
  return n;
}

/** Infers Reshape's output, resolving 0 (copy) and -1 (rest) with symbolic dims where possible. */
function reshapeDims(ctx: InferContext, input: Shape, target: Dim[]): Dim[] {
  const out = target.map((d, i) => (d === 0 ? (input[i] ?? ctx.fail(`0 at position ${i} beyond input rank`)) : d));
  const free = out.indexOf(-1);
  if (free < 0) return out;
  let num = 1;
  const syms: string[] = [];
  for (const d of input) {
    if (typeof d === 'number') num *= d;
    else syms.push(d);
  }
  let ok = true;
  out.forEach((d, i) => {
    if (i === free) return;
    if (typeof d === 'number') num /= d;
    else {
      const k = syms.indexOf(d);
      if (k >= 0) syms.splice(k, 1);
      else ok = false;
    }
  });
  if (ok && syms.length === 0) {
    if (!Number.isInteger(num)) ctx.fail(`cannot reshape ${formatShape(input)} to ${formatShape(target)}`);
    out[free] = num;
  } else out[free] = ok && syms.length === 1 && num === 1 ? syms[0]! : ctx.unknown(free);
  return out;
}

/** Reshape x; `shape` may use 0 (copy dim) and -1 (infer). */
export function reshape(x: Value, shape: ShapeArg, name?: string): Value {
  const s = shapeValue(x, shape);
  return x.graph.emit('Reshape', [x, s], {}, (ctx) => {
    const known = knownDims(s);
    const n = shapeLength(ctx, s);
    return [{ dtype: x.dtype, shape: known ? reshapeDims(ctx, x.shape, known) : Array.from({ length: n }, (_, i) => ctx.unknown(i)) }];
  }, { name })[0]!;
}

/** Permutes axes (reverses them when perm is omitted). */
export function transpose(x: Value, perm?: number[], name?: string): Value {
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  return x.graph.emit('Transpose', [x], { perm: attr.ints(p) }, (ctx) => {
    if (p.length !== x.rank || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) ctx.fail(`perm [${p}] is not a permutation of rank ${x.rank}`);
    return [{ dtype: x.dtype, shape: p.map((i) => x.shape[i]!) }];
  }, { name })[0]!;
}

/** Removes size-1 axes. */
export function squeeze(x: Value, axes: number[], name?: string): Value {
  return x.graph.emit('Squeeze', [x, x.graph.int64s(axes)], {}, (ctx) => {
    const norm = axes.map((a) => ctx.axis(a, x.rank));
    for (const a of norm) if (x.shape[a] !== 1 && typeof x.shape[a] === 'number') ctx.fail(`axis ${a} has size ${x.shape[a]}, not 1`);
    return [{ dtype: x.dtype, shape: x.shape.filter((_, i) => !norm.includes(i)) }];
  }, { name })[0]!;
}

/** Inserts size-1 axes at `axes` (positions in the output). */
export function unsqueeze(x: Value, axes: number[], name?: string): Value {
  return x.graph.emit('Unsqueeze', [x, x.graph.int64s(axes)], {}, (ctx) => {
    const rank = x.rank + axes.length;
    const norm = axes.map((a) => ctx.axis(a, rank));
    const out: Dim[] = [];
    let k = 0;
    for (let i = 0; i < rank; i++) out.push(norm.includes(i) ? 1 : x.shape[k++]!);
    return [{ dtype: x.dtype, shape: out }];
  }, { name })[0]!;
}

/** Broadcasts x to `shape` (numpy rules, as ONNX Expand). */
export function expand(x: Value, shape: ShapeArg, name?: string): Value {
  const s = shapeValue(x, shape);
  return x.graph.emit('Expand', [x, s], {}, (ctx) => {
    const known = knownDims(s);
    const n = shapeLength(ctx, s);
    const target = known ?? Array.from({ length: n }, (_, i) => ctx.unknown(i));
    return [{ dtype: x.dtype, shape: ctx.broadcast(x.shape, target) }];
  }, { name })[0]!;
}

/** The shape of x as a 1-D int64 tensor. */
export function shapeOf(x: Value, name?: string): Value {
  const y = x.graph.emit('Shape', [x], {}, () => [{ dtype: 'int64', shape: [x.rank] }], { name })[0]!;
  y.shapeContents = [...x.shape];
  return y;
}

/** The element count of x as an int64 scalar. */
export function size(x: Value, name?: string): Value {
  return x.graph.emit('Size', [x], {}, () => [{ dtype: 'int64', shape: [] }], { name })[0]!;
}

/** A tensor of `shape` filled with `value`. */
export function constantOfShape(g: Value['graph'], shape: ShapeArg, value: number, dtype: DType, name?: string): Value {
  const s = shape instanceof Value ? shape : g.int64s(shape);
  const data = allocTensorArray(dtype, 1);
  if (data instanceof BigInt64Array) data[0] = BigInt(value);
  else if (dtype === 'float16' || dtype === 'bfloat16') data.set(narrow16([value], dtype));
  else (data as Float64Array)[0] = value;
  return g.emit('ConstantOfShape', [s], { value: attr.tensor({ dtype, shape: [1], data }) }, (ctx) => {
    const n = shapeLength(ctx, s);
    return [{ dtype, shape: knownDims(s) ?? Array.from({ length: n }, (_, i) => ctx.unknown(i)) }];
  }, { name })[0]!;
}

/** Zeros shaped like x. */
export function zerosLike(x: Value): Value {
  return constantOfShape(x.graph, shapeOf(x), 0, x.dtype);
}

/** [start, start+delta, ...) up to limit; scalar inputs of one dtype. */
export function range(start: Value, limit: Value, delta: Value, name?: string): Value {
  return start.graph.emit('Range', [start, limit, delta], {}, (ctx) => {
    ctx.same(start, limit, delta);
    const [a, b, d] = [start, limit, delta].map((v) => (v.constData ? Number(v.constData[0]) : undefined));
    const symbolic = a === 0 && d === 1 && limit.rank === 0 && limit.shapeContents?.length === 1 ? limit.shapeContents[0] : undefined;
    const n = a !== undefined && b !== undefined && d !== undefined ? Math.max(0, Math.ceil((b - a) / d)) : (symbolic ?? ctx.unknown(0));
    return [{ dtype: start.dtype, shape: [n] }];
  }, { name })[0]!;
}

const reshapeBack: GradRule = ({ inputs, dOut }) => [reshape(dOut[0]!, shapeOf(inputs[0]!))];

/** Gradient rules of the shape ops. */
export const shapeGradRules: Record<string, GradRule> = {
  Reshape: reshapeBack,
  Squeeze: reshapeBack,
  Unsqueeze: reshapeBack,
  Transpose: ({ node, dOut }) => {
    const perm = node.attrs['perm']!.value as number[];
    const inv = perm.map((_, i) => perm.indexOf(i));
    return [transpose(dOut[0]!, inv)];
  },
  Expand: ({ inputs, dOut }) => [sumToShape(dOut[0]!, inputs[0]!)],
};

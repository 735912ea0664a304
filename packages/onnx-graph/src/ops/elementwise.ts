import { Value, attr } from '../graph';
import type { GradRule } from '../grad-rule';
import { DType, ONNX_DTYPE_CODE as ONNX_CODE, isFloatDType, dtypeFromOnnxCode } from '../dtype';
import { Operand, liftPair } from './operand';
import { sumToShape } from './reduce';

function binary(opType: string, a: Operand, b: Operand, name?: string): Value {
  const [x, y] = liftPair(a, b);
  return x.graph.emit(opType, [x, y], {}, (ctx) => {
    ctx.same(x, y);
    return [{ dtype: x.dtype, shape: ctx.broadcast(x.shape, y.shape) }];
  }, { name })[0]!;
}

function unary(opType: string, x: Value, name?: string, float = true): Value {
  return x.graph.emit(opType, [x], {}, (ctx) => {
    if (float) ctx.dtype(x, 'float');
    return [{ dtype: x.dtype, shape: x.shape }];
  }, { name })[0]!;
}

/** a + b with numpy broadcasting. */
export const add = (a: Operand, b: Operand, name?: string): Value => binary('Add', a, b, name);
/** a - b. */
export const sub = (a: Operand, b: Operand, name?: string): Value => binary('Sub', a, b, name);
/** a * b. */
export const mul = (a: Operand, b: Operand, name?: string): Value => binary('Mul', a, b, name);
/** a / b. */
export const div = (a: Operand, b: Operand, name?: string): Value => binary('Div', a, b, name);
/** a ** b (same dtype). */
export const pow = (a: Operand, b: Operand, name?: string): Value => binary('Pow', a, b, name);
/** -x. */
export const neg = (x: Value, name?: string): Value => unary('Neg', x, name, false);
/** √x. */
export const sqrt = (x: Value, name?: string): Value => unary('Sqrt', x, name);
/** 1/x. */
export const reciprocal = (x: Value, name?: string): Value => unary('Reciprocal', x, name);
/** eˣ. */
export const exp = (x: Value, name?: string): Value => unary('Exp', x, name);
/** ln x. */
export const log = (x: Value, name?: string): Value => unary('Log', x, name);
/** tanh x. */
export const tanh = (x: Value, name?: string): Value => unary('Tanh', x, name);
/** σ(x). */
export const sigmoid = (x: Value, name?: string): Value => unary('Sigmoid', x, name);
/** erf x. */
export const erf = (x: Value, name?: string): Value => unary('Erf', x, name);
/** cos x. */
export const cos = (x: Value, name?: string): Value => unary('Cos', x, name);
/** sin x. */
export const sin = (x: Value, name?: string): Value => unary('Sin', x, name);
/** max(x, 0). */
export const relu = (x: Value, name?: string): Value => unary('Relu', x, name);
/** Passes x through unchanged. */
export const identity = (x: Value, name?: string): Value => unary('Identity', x, name, false);

/** x with no gradient flowing back through it. */
export function stopGradient(x: Value, name?: string): Value {
  const y = identity(x, name);
  y.producer!.stopGradient = true;
  return y;
}

/** Elementwise sum of any number of same-dtype tensors (broadcasting). */
export function sum(xs: Value[], name?: string): Value {
  if (xs.length === 1) return xs[0]!;
  return xs[0]!.graph.emit('Sum', xs, {}, (ctx) => {
    ctx.same(...xs);
    return [{ dtype: xs[0]!.dtype, shape: xs.slice(1).reduce<readonly (string | number)[]>((s, v) => ctx.broadcast(s, v.shape), xs[0]!.shape) }];
  }, { name })[0]!;
}

function compare(opType: string, a: Operand, b: Operand, name?: string): Value {
  const [x, y] = liftPair(a, b);
  return x.graph.emit(opType, [x, y], {}, (ctx) => {
    ctx.same(x, y);
    return [{ dtype: 'bool', shape: ctx.broadcast(x.shape, y.shape) }];
  }, { name })[0]!;
}

/** a == b (bool). */
export const equal = (a: Operand, b: Operand, name?: string): Value => compare('Equal', a, b, name);
/** a < b (bool). */
export const less = (a: Operand, b: Operand, name?: string): Value => compare('Less', a, b, name);
/** a > b (bool). */
export const greater = (a: Operand, b: Operand, name?: string): Value => compare('Greater', a, b, name);

/** cond ? a : b, broadcasting all three. */
export function where(cond: Value, a: Operand, b: Operand, name?: string): Value {
  const [x, y] = liftPair(a, b);
  return cond.graph.emit('Where', [cond, x, y], {}, (ctx) => {
    ctx.dtype(cond, ['bool']);
    ctx.same(x, y);
    return [{ dtype: x.dtype, shape: ctx.broadcast(cond.shape, ctx.broadcast(x.shape, y.shape)) }];
  }, { name })[0]!;
}

/** Converts x to dtype `to`. */
export function cast(x: Value, to: DType, name?: string): Value {
  return x.graph.emit('Cast', [x], { to: attr.int(ONNX_CODE[to]) }, () => [{ dtype: to, shape: x.shape }], { name })[0]!;
}

const gradBinary = (f: (dy: Value, a: Value, b: Value, y: Value) => [Value | undefined, Value | undefined]): GradRule =>
  ({ inputs, outputs, dOut, needs }) => {
    const [a, b] = inputs as [Value, Value];
    const [da, db] = f(dOut[0]!, a, b, outputs[0]!);
    return [needs[0] && da ? sumToShape(da, a) : undefined, needs[1] && db ? sumToShape(db, b) : undefined];
  };

/** Gradient rules of the elementwise ops, keyed by ONNX op type. */
export const elementwiseGradRules: Record<string, GradRule> = {
  Add: gradBinary((dy) => [dy, dy]),
  Sub: gradBinary((dy) => [dy, neg(dy)]),
  Mul: gradBinary((dy, a, b) => [mul(dy, b), mul(dy, a)]),
  // d(a/b)/db = -a/b² = -y/b
  Div: gradBinary((dy, _a, b, y) => [div(dy, b), neg(div(mul(dy, y), b))]),
  Pow: gradBinary((dy, a, b, y) => [mul(dy, mul(b, pow(a, sub(b, 1)))), mul(dy, mul(y, log(a)))]),
  Sum: ({ inputs, dOut, needs }) => inputs.map((x, i) => (needs[i] ? sumToShape(dOut[0]!, x!) : undefined)),
  Neg: ({ dOut }) => [neg(dOut[0]!)],
  Identity: ({ dOut }) => [dOut[0]],
  Sqrt: ({ dOut, outputs }) => [div(mul(dOut[0]!, 0.5), outputs[0]!)],
  Reciprocal: ({ dOut, outputs }) => [neg(mul(dOut[0]!, mul(outputs[0]!, outputs[0]!)))],
  Exp: ({ dOut, outputs }) => [mul(dOut[0]!, outputs[0]!)],
  Log: ({ dOut, inputs }) => [div(dOut[0]!, inputs[0]!)],
  Tanh: ({ dOut, outputs }) => [mul(dOut[0]!, sub(1, mul(outputs[0]!, outputs[0]!)))],
  Sigmoid: ({ dOut, outputs }) => [mul(dOut[0]!, mul(outputs[0]!, sub(1, outputs[0]!)))],
  // d erf(x)/dx = 2/√π · e^(−x²)
  Erf: ({ dOut, inputs }) => [mul(dOut[0]!, mul(exp(neg(mul(inputs[0]!, inputs[0]!))), 2 / Math.sqrt(Math.PI)))],
  Cos: ({ dOut, inputs }) => [neg(mul(dOut[0]!, sin(inputs[0]!)))],
  Sin: ({ dOut, inputs }) => [mul(dOut[0]!, cos(inputs[0]!))],
  Relu: ({ dOut, outputs }) => [where(greater(outputs[0]!, 0), dOut[0]!, 0)],
  Where: ({ inputs, dOut, needs }) => {
    const [c, a, b] = inputs as [Value, Value, Value];
    const dy = dOut[0]!;
    return [undefined, needs[1] ? sumToShape(where(c, dy, 0), a) : undefined, needs[2] ? sumToShape(where(c, 0, dy), b) : undefined];
  },
  Cast: ({ inputs, dOut, node }) => {
    const from = inputs[0]!.dtype;
    const to = dtypeFromOnnxCode((node.attrs['to'] as { value: number }).value);
    return [isFloatDType(from) && to && isFloatDType(to) ? cast(dOut[0]!, from) : undefined];
  },
};

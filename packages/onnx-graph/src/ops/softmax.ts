import { Value, attr } from '../graph';
import type { GradRule } from '../grad-rule';
import { exp, mul, sub } from './elementwise';
import { reduceSum } from './reduce';

function softmaxLike(opType: string, x: Value, axis: number, name?: string): Value {
  return x.graph.emit(opType, [x], { axis: attr.int(axis) }, (ctx) => {
    ctx.dtype(x, 'float');
    ctx.axis(axis, x.rank);
    return [{ dtype: x.dtype, shape: x.shape }];
  }, { name })[0]!;
}

/** Softmax along one axis (opset 13 semantics). */
export const softmax = (x: Value, axis = -1, name?: string): Value => softmaxLike('Softmax', x, axis, name);
/** log(softmax(x)) along one axis, computed stably. */
export const logSoftmax = (x: Value, axis = -1, name?: string): Value => softmaxLike('LogSoftmax', x, axis, name);

const axisOf = (node: { attrs: Record<string, { value: unknown }> }): number => (node.attrs['axis']?.value as number) ?? -1;

/** Gradient rules of Softmax and LogSoftmax (training.md). */
export const softmaxGradRules: Record<string, GradRule> = {
  // dx = y ⊙ (dy − Σ(dy ⊙ y))
  Softmax: ({ node, outputs, dOut }) => {
    const y = outputs[0]!;
    const dy = dOut[0]!;
    return [mul(y, sub(dy, reduceSum(mul(dy, y), [axisOf(node)], true)))];
  },
  // dx = dy − exp(y) ⊙ Σ dy
  LogSoftmax: ({ node, outputs, dOut }) => {
    const dy = dOut[0]!;
    return [sub(dy, mul(exp(outputs[0]!), reduceSum(dy, [axisOf(node)], true)))];
  },
};

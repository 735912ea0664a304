import { Value, attr } from '../graph';
import type { GradRule } from '../grad-rule';

/** Keeps the upper (or lower) triangle of the last two axes, offset by diagonal k. */
export function trilu(x: Value, upper = true, k = 0, name?: string): Value {
  const inputs = k === 0 ? [x] : [x, x.graph.scalar(k, 'int64')];
  return x.graph.emit('Trilu', inputs, { upper: attr.int(upper ? 1 : 0) }, (ctx) => {
    if (x.rank < 2) ctx.fail('Trilu needs rank >= 2');
    return [{ dtype: x.dtype, shape: x.shape }];
  }, { name })[0]!;
}

/** Trilu is a fixed mask, so its gradient is the same mask applied to dy. */
export const triluGradRules: Record<string, GradRule> = {
  Trilu: ({ node, inputs, dOut }) => [
    dOut[0]!.graph.emit('Trilu', [dOut[0]!, ...inputs.slice(1)], node.attrs, () => [{ dtype: dOut[0]!.dtype, shape: dOut[0]!.shape }])[0]!,
    undefined,
  ],
};

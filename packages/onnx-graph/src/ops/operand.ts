import { Value } from '../graph';
import { GraphBuildError } from '../errors';

/** A tensor or a JS number (lifted to a scalar constant of the other operand's dtype). */
export type Operand = Value | number;

/** Lifts numbers in a binary operation to scalar constants. */
export function liftPair(a: Operand, b: Operand): [Value, Value] {
  if (typeof a === 'number' && typeof b === 'number') throw new GraphBuildError('a binary op needs at least one tensor operand');
  const x = typeof a === 'number' ? (b as Value).graph.scalar(a, (b as Value).dtype) : a;
  const y = typeof b === 'number' ? x.graph.scalar(b, x.dtype) : b;
  return [x, y];
}

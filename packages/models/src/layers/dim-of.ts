import { gather, shapeOf, type Value } from '@smart/onnx-graph';

/** Scalar int64 `dim` of `x`'s shape. */
export function dimOf(x: Value, dim: number): Value {
  return gather(shapeOf(x), x.graph.scalar(dim, 'int64'), 0);
}

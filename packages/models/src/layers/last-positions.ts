import { equal, neg, unsqueeze, where, type Value } from '@smart/onnx-graph';

/** hidden [B, S, H] → its last `keep` positions (all of them when keep is 0), before the lm_head (`num_logits_to_keep`). */
export function lastPositions(hidden: Value, keep: Value): Value {
  const g = hidden.graph;
  const start = where(equal(keep, 0), g.scalar(0, 'int64'), neg(keep)); // 0 → from the start
  const starts = unsqueeze(start, [0]);
  return g.emit('Slice', [hidden, starts, g.int64s([Number.MAX_SAFE_INTEGER]), g.int64s([1])], {}, (ctx) => [
    {
      dtype: hidden.dtype,
      shape: [hidden.shape[0]!, ctx.unknown(1), hidden.shape[2]!],
    },
  ])[0]!;
}

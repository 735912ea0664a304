import {
  cast,
  div,
  gather,
  labelLogProbs,
  matmul,
  mul,
  reduceSum,
  reshape,
  slice,
  squeeze,
  type Value,
  equal,
  range,
  unsqueeze,
} from '@smart/onnx-graph';
import { dimOf } from './dim-of';

const END = Number.MAX_SAFE_INTEGER;

/** What the log-prob head returns, per row [B]. */
export interface CompletionLogProbs {
  logps: Value; // [B] Σ log π(token) over completion tokens
  tokenCounts: Value; // [B] completion tokens
  /** Σ of the logits over completion positions and the vocabulary (TRL's `logits/*` metrics divide it by tokens·V). */
  logitSums: Value; // [B]
}

/**
 * Summed completion log-probs with TRL's shift (position t − 1 scores token t; `completion_mask` [B, S] marks
 * token t). `completion` mode gathers the K completion positions first, so lm_head and log-softmax cost
 * K × V instead of B × S × V (memory and FLOPs); `full` computes every position's logits and masks.
 */
export function completionLogProbs(
  hidden: Value, // [B, S, H] final-normed
  inputIds: Value, // [B, S] int64
  completionMask: Value, // [B, S] int64
  head: (h: Value) => Value, // [..., H] → [..., V]
  hiddenSize: number, // H
  mode: 'completion' | 'full',
): CompletionLogProbs {
  const dtype = hidden.dtype;
  const labels = slice(inputIds, [1], [END], [1]); // [B, S-1]
  const mask = slice(completionMask, [1], [END], [1]); // [B, S-1] int64
  const maskF = cast(mask, dtype);
  const tokenCounts = reduceSum(maskF, [1], false);
  const h = slice(hidden, [0], [-1], [1]); // [B, S-1, H]
  if (mode === 'full') {
    const logits = head(h); // [B, S-1, V]
    const lp = labelLogProbs(logits, labels); // [B, S-1]
    return {
      logps: reduceSum(mul(lp, maskF), [1], false),
      tokenCounts,
      logitSums: reduceSum(mul(reduceSum(logits, [2], false), maskF), [1], false),
    };
  }
  const g = hidden.graph;
  const steps = dimOf(mask, 1); // S-1
  const flat = reshape(mask, [-1]); // [B·(S-1)]
  const positions = squeeze(nonZero(cast(flat, 'bool')), [0]); // [K] flat indices of completion tokens
  const hK = gather(reshape(h, [-1, hiddenSize]), positions, 0); // [K, H]
  const labelsK = gather(reshape(labels, [-1]), positions, 0); // [K]
  const logitsK = head(hK); // [K, V]
  const lpK = labelLogProbs(logitsK, labelsK); // [K]
  // Rows back from flat indices: a [B, K] one-hot matrix sums each row's tokens with one MatMul.
  const rowOfK = div(positions, steps); // [K]
  const rows = range(g.scalar(0, 'int64'), dimOf(mask, 0), g.scalar(1, 'int64')); // [B]
  const oneHot = cast(equal(unsqueeze(rows, [1]), unsqueeze(rowOfK, [0])), dtype); // [B, K]
  const perRow = (x: Value) => squeeze(matmul(oneHot, unsqueeze(x, [1])), [1]); // [K] → [B]
  return { logps: perRow(lpK), tokenCounts, logitSums: perRow(reduceSum(logitsK, [1], false)) };
}

/** ONNX NonZero: indices [rank, K] of the true/non-zero entries, K known only at run time. */
function nonZero(x: Value): Value {
  return x.graph.emit('NonZero', [x], {}, (ctx) => [{ dtype: 'int64', shape: [x.rank, ctx.unknown(1)] }])[0]!;
}

import { Value } from '../graph';
import { cast, equal, exp, mul, sub } from './elementwise';
import { gatherElements } from './gather';
import { logSoftmax } from './softmax';
import { range, shapeOf, squeeze, unsqueeze } from './shape-ops';
import { slice } from './slice-concat';

/**
 * log softmax(logits)[label] per position: logits [..., V], labels [...] int64 -> [...].
 * Its gradient is fused (training.md): dz = dlp·(onehot(label) − softmax(z)), with no scatter over V.
 */
export function labelLogProbs(logits: Value, labels: Value): Value {
  const lsm = logSoftmax(logits, -1);
  const idx = unsqueeze(labels, [-1]);
  const lp = squeeze(gatherElements(lsm, idx, -1), [-1]);
  lp.customGradient = {
    inputs: [logits],
    rule: (dlp) => {
      const g = logits.graph;
      const vocab = squeeze(slice(shapeOf(logits), [-1], [Number.MAX_SAFE_INTEGER]), [0]);
      const onehot = cast(equal(idx, range(g.scalar(0, 'int64'), vocab, g.scalar(1, 'int64'))), logits.dtype);
      return [mul(unsqueeze(dlp, [-1]), sub(onehot, exp(lsm)))];
    },
  };
  return lp;
}

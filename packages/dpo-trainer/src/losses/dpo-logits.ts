import { sub, type Value } from '@smart/onnx-graph';

/** Per-pair log-probs [N] of the policy and the reference (summed over completion tokens; ipo: length-normalised). */
export interface PairLogProbs {
  policyChosen: Value;
  policyRejected: Value;
  refChosen: Value;
  refRejected: Value;
}

/**
 * TRL's `logits` of `dpo_loss` (dpo_trainer.py): Δ = (log π(y_c) − log π(y_r)) − (log ρ(y_c) − log ρ(y_r)) [N],
 * the implicit reward margin before β.
 */
export function dpoLogits(p: PairLogProbs): Value {
  return sub(sub(p.policyChosen, p.policyRejected), sub(p.refChosen, p.refRejected));
}

import { div, neg, reduceSum, type Value } from '@smart/onnx-graph';

/**
 * Completion-only SFT loss, the token mean of −log π over every completion token of the rows:
 * −Σ_r logps_r / Σ_r tokens_r (torch `cross_entropy` with prompt and padding labels at ignore_index; TRL
 * SFTTrainer with completion_only_loss, and the NLL of DPO's RPO term). Scalar.
 */
export function tokenMeanNll(logps: Value, tokenCounts: Value): Value {
  return neg(div(reduceSum(logps, undefined, false), reduceSum(tokenCounts, undefined, false)));
}

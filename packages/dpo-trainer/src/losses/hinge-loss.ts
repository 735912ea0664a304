import { mul, relu, sub, type Value } from '@smart/onnx-graph';

/**
 * SLiC's hinge loss on the DPO margin (Zhao et al. 2023; TRL dpo_trainer.py `dpo_loss`, loss_type "hinge"):
 * max(0, 1 − βΔ) per pair (β plays the role of 1/δ).
 */
export function hingeLoss(logits: Value, beta: number): Value {
  return relu(sub(1, mul(logits, beta)));
}

import { mul, sub, type Value } from '@smart/onnx-graph';

/**
 * IPO (Azar et al. 2023; TRL dpo_trainer.py `dpo_loss`, loss_type "ipo"): (Δ − 1/(2β))² per pair, where Δ is
 * built from **length-normalised** log-probs (Σ log π / completion tokens, policy and reference alike), as TRL does.
 */
export function ipoLoss(logits: Value, beta: number): Value {
  const d = sub(logits, 1 / (2 * beta));
  return mul(d, d);
}

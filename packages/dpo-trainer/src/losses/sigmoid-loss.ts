import { logSigmoid, mul, neg, sub, type Value } from '@smart/onnx-graph';

/**
 * DPO's sigmoid loss with conservative label smoothing ε (Rafailov et al. 2023; TRL dpo_trainer.py `dpo_loss`,
 * loss_type "sigmoid"): −(1 − ε)·log σ(βΔ) − ε·log σ(−βΔ) per pair. At Δ = 0 it is ln 2 with slope −β/2.
 */
export function sigmoidLoss(logits: Value, beta: number, labelSmoothing = 0): Value {
  const z = mul(logits, beta);
  const chosenWins = mul(logSigmoid(z), 1 - labelSmoothing);
  if (labelSmoothing === 0) return neg(chosenWins);
  return sub(neg(chosenWins), mul(logSigmoid(neg(z)), labelSmoothing));
}

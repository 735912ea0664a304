import { add, div, logSigmoid, mul, neg, type Value } from '@smart/onnx-graph';
import { LossConfigError } from '../errors';

/**
 * Robust DPO, unbiased under preference-label noise rate ε (Chowdhury et al. 2024; TRL dpo_trainer.py `dpo_loss`,
 * loss_type "robust"): [−(1 − ε)·log σ(βΔ) + ε·log σ(−βΔ)] / (1 − 2ε) per pair; needs ε < 0.5.
 */
export function robustLoss(logits: Value, beta: number, labelSmoothing: number): Value {
  if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) throw new LossConfigError('label_smoothing', `robust needs 0 ≤ ε < 0.5, got ${labelSmoothing}`);
  const z = mul(logits, beta);
  const noisy = add(neg(mul(logSigmoid(z), 1 - labelSmoothing)), mul(logSigmoid(neg(z)), labelSmoothing));
  return div(noisy, 1 - 2 * labelSmoothing);
}

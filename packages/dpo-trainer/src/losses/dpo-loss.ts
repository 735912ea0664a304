import { reduceMean, type Value } from '@smart/onnx-graph';
import type { DpoLossType } from '../engine/types';
import { hingeLoss } from './hinge-loss';
import { ipoLoss } from './ipo-loss';
import { robustLoss } from './robust-loss';
import { sigmoidLoss } from './sigmoid-loss';

/** Hyper-parameters shared by the DPO losses (TRL DPOConfig names in comments). */
export interface DpoLossOptions {
  lossType: DpoLossType; // loss_type
  beta: number; // beta
  labelSmoothing: number; // label_smoothing
}

/** Per-pair losses [N] of `lossType` on Δ (TRL `dpo_loss`'s `losses`). */
export function dpoPairLosses(logits: Value, o: DpoLossOptions): Value {
  switch (o.lossType) {
    case 'sigmoid':
      return sigmoidLoss(logits, o.beta, o.labelSmoothing);
    case 'robust':
      return robustLoss(logits, o.beta, o.labelSmoothing);
    case 'hinge':
      return hingeLoss(logits, o.beta);
    case 'ipo':
      return ipoLoss(logits, o.beta);
  }
}

/** The batch loss: mean of the per-pair losses (TRL `losses.mean()`). Scalar. */
export function dpoLoss(logits: Value, o: DpoLossOptions): Value {
  return reduceMean(dpoPairLosses(logits, o), undefined, false);
}

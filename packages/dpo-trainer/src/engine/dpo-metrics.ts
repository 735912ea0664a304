import type { DpoLossType, StepMetrics } from './types';

/** What a training run returns per row, as float64. */
export interface RowOutputs {
  logps: Float64Array; // [2N] summed
  tokenCounts: Float64Array; // [2N]
  logitSums: Float64Array; // [2N]
  refLogps: Float64Array; // [2N] summed
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * TRL's DPO metrics of one micro-batch (dpo_trainer.py `get_batch_loss_metrics`): rewards = β·(log π − log ρ)
 * per completion (length-normalised for ipo, as the loss sees them), accuracies = frac(chosen > rejected),
 * logps = policy log-probs, logits = mean logit over completion tokens and the vocabulary.
 */
export function dpoMetrics(r: RowOutputs, o: { beta: number; lossType: DpoLossType; vocabSize: number; loss: number; nll?: number }): StepMetrics {
  const n = r.logps.length / 2;
  const norm = (x: number, i: number) => (o.lossType === 'ipo' ? x / r.tokenCounts[i]! : x);
  const pol = Array.from(r.logps, norm);
  const ref = Array.from(r.refLogps, norm);
  const rewards = pol.map((p, i) => o.beta * (p - ref[i]!));
  const chosen = rewards.slice(0, n);
  const rejected = rewards.slice(n);
  const tokens = (from: number, to: number) => r.tokenCounts.slice(from, to).reduce((a, b) => a + b, 0);
  const logitMean = (from: number, to: number) => r.logitSums.slice(from, to).reduce((a, b) => a + b, 0) / (tokens(from, to) * o.vocabSize);
  return {
    loss: o.loss,
    count: n,
    tokens: tokens(0, 2 * n),
    'rewards/chosen': mean(chosen),
    'rewards/rejected': mean(rejected),
    'rewards/accuracies': mean(chosen.map((c, i) => (c > rejected[i]! ? 1 : 0))),
    'rewards/margins': mean(chosen.map((c, i) => c - rejected[i]!)),
    'logps/chosen': mean(pol.slice(0, n)),
    'logps/rejected': mean(pol.slice(n)),
    'logits/chosen': logitMean(0, n),
    'logits/rejected': logitMean(n, 2 * n),
    ...(o.nll !== undefined ? { nll_loss: o.nll } : {}),
  };
}

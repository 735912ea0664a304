import { add, mul, type Value } from '@smart/onnx-graph';

/**
 * RPO (Pang et al. 2024, "Iterative Reasoning Preference Optimization"; TRL dpo_trainer.py, `rpo_alpha`):
 * loss + α·NLL, where NLL is the token-mean negative log-likelihood of the chosen completions (`tokenMeanNll`).
 */
export function withRpoTerm(loss: Value, chosenNll: Value, rpoAlpha: number): Value {
  return add(loss, mul(chosenNll, rpoAlpha));
}

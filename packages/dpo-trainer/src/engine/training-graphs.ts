import { familyOf } from '@smart/models';
import { Graph, div, gather, grad, mul, reshape, type TensorData, type Value } from '@smart/onnx-graph';
import { dpoLogits } from '../losses/dpo-logits';
import { dpoLoss } from '../losses/dpo-loss';
import { withRpoTerm } from '../losses/rpo-term';
import { tokenMeanNll } from '../losses/token-mean-nll';
import type { EngineOptions } from './types';

/** The weights as graphs receive them: converted to the engine dtype. */
export type GraphWeights = ReadonlyMap<string, TensorData>;

/** The model family's completion log-probs (LLaVA, Qwen2-VL, ...) with the engine's trainable tensors as inputs. */
function logProbs(g: Graph, o: EngineOptions, weights: GraphWeights) {
  const family = familyOf(o.config);
  return family.logProbs(g, o.config, weights, {
    dtype: o.dtype ?? 'float32',
    images: o.images ?? 'pixels',
    lmHead: o.completionOnlyLmHead === false ? 'full' : 'completion',
    ...(o.lora ? { lora: o.lora } : { trainable: o.trainable ?? family.trainableParts(o.config) }),
  });
}

/**
 * The eval artifact: summed completion log-probs per row. Outputs `logps`, `token_counts`, `logit_sums` [B];
 * trainable tensors are inputs, so the same graph scores the policy and (fed the start weights) the reference.
 */
export function buildEvalGraph(o: EngineOptions, weights: GraphWeights): { graph: Graph; trainable: Value[] } {
  const g = new Graph('eval');
  const s = logProbs(g, o, weights);
  g.output(s.logps, 'logps');
  g.output(s.tokenCounts, 'token_counts');
  g.output(s.logitSums, 'logit_sums');
  return { graph: g, trainable: s.weights.trainable };
}

/** Rows 0..N−1 (chosen) and N..2N−1 (rejected) of a [2N] vector. */
function halves(x: Value): [Value, Value] {
  const pairs = reshape(x, [2, -1]); // [2, N]
  return [gather(pairs, x.graph.scalar(0, 'int64'), 0), gather(pairs, x.graph.scalar(1, 'int64'), 0)];
}

/**
 * The training artifact: the loss of one micro-batch and `loss_weight · ∂loss/∂θ` per trainable tensor
 * (`<name>.grad`). Extra inputs: `loss_weight` (scalar) and, for DPO, `ref_logps` [2N]. Outputs: `loss`
 * (unweighted), `logps`, `token_counts`, `logit_sums` [rows], `nll_loss` with RPO, and the gradients.
 */
export function buildTrainingGraph(o: EngineOptions, weights: GraphWeights): { graph: Graph; trainable: Value[] } {
  const dtype = o.dtype ?? 'float32';
  const g = new Graph('training');
  const s = logProbs(g, o, weights);
  let loss: Value;
  if (o.objective.kind === 'sft') {
    loss = tokenMeanNll(s.logps, s.tokenCounts);
  } else {
    const ob = o.objective;
    const ref = g.input('ref_logps', dtype, ['batch_size']);
    // ipo scores length-normalised log-probs (TRL divides policy and reference alike by the completion length).
    const norm = (x: Value) => (ob.lossType === 'ipo' ? div(x, s.tokenCounts) : x);
    const [pc, pr] = halves(norm(s.logps));
    const [rc, rr] = halves(norm(ref));
    loss = dpoLoss(dpoLogits({ policyChosen: pc, policyRejected: pr, refChosen: rc, refRejected: rr }), ob);
    if (ob.rpoAlpha !== undefined) {
      const nll = tokenMeanNll(halves(s.logps)[0], halves(s.tokenCounts)[0]);
      g.output(nll, 'nll_loss');
      loss = withRpoTerm(loss, nll, ob.rpoAlpha);
    }
  }
  g.output(loss, 'loss');
  g.output(s.logps, 'logps');
  g.output(s.tokenCounts, 'token_counts');
  g.output(s.logitSums, 'logit_sums');
  const weight = g.input('loss_weight', dtype, []);
  const grads = grad(g, mul(loss, weight), s.weights.trainable);
  s.weights.trainable.forEach((v, i) => g.output(grads[i]!, `${v.name}.grad`));
  return { graph: g, trainable: s.weights.trainable };
}

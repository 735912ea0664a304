import { Graph, type TensorData } from '@smart/onnx-graph';
import type { LlavaConfig } from './llava-config';
import type { SequenceLogProbs } from '../family/model-family';
import { completionLogProbs } from '../layers/completion-log-probs';
import { llavaTrunk, type LlavaGraphOptions } from './forward';

/**
 * Summed completion log-probs (DPO's log π(y|x), TRL semantics): logits shifted by one, prompt and padding
 * masked by `completion_mask` [B, S]. Outputs `logps` [B] and `token_counts` [B]; trainable weights are inputs.
 * lm_head runs at completion positions only unless `options.lmHead` is `full`.
 */
export function sequenceLogProbs(
  graph: Graph,
  config: LlavaConfig,
  weights: ReadonlyMap<string, TensorData>,
  options: LlavaGraphOptions = {},
): SequenceLogProbs {
  const t = llavaTrunk(graph, config, weights, options);
  const completionMask = graph.input('completion_mask', 'int64', ['batch_size', 'sequence_length']);
  const lp = completionLogProbs(t.hidden, t.inputIds, completionMask, t.head, config.text.hidden_size, options.lmHead ?? 'completion');
  return { ...t, completionMask, ...lp };
}

/** A graph with outputs `logps` and `token_counts` (reference log-probs, evaluation). */
export function buildSequenceLogProbs(config: LlavaConfig, weights: ReadonlyMap<string, TensorData>, options: LlavaGraphOptions = {}) {
  const s = sequenceLogProbs(new Graph('sequence_log_probs'), config, weights, options);
  s.graph.output(s.logps, 'logps');
  s.graph.output(s.tokenCounts, 'token_counts');
  return s;
}

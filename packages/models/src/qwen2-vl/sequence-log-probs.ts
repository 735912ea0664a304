import { Graph, type TensorData } from '@smart/onnx-graph';
import type { GraphOptions, SequenceLogProbs } from '../family/model-family';
import { completionLogProbs } from '../layers/completion-log-probs';
import { qwen2VlTrunk } from './forward';
import type { Qwen2VlConfig } from './qwen2-vl-config';

/**
 * Summed completion log-probs of Qwen2-VL (DPO's log π(y|x), TRL semantics: logits shifted by one, `completion_mask`
 * [B, S]); the vision tower and merger stay frozen unless `trainable` names them. Inputs as qwen2VlTrunk.
 */
export function qwen2VlLogProbs(graph: Graph, config: Qwen2VlConfig, weights: ReadonlyMap<string, TensorData>, options: GraphOptions = {}): SequenceLogProbs {
  const t = qwen2VlTrunk(graph, config, weights, options);
  const completionMask = graph.input('completion_mask', 'int64', ['batch_size', 'sequence_length']);
  const lp = completionLogProbs(t.hidden, t.inputIds, completionMask, t.head, config.text.hidden_size, options.lmHead ?? 'completion');
  return { ...t, completionMask, ...lp };
}

/** A graph with outputs `logps` and `token_counts` (reference log-probs, evaluation). */
export function buildQwen2VlLogProbs(config: Qwen2VlConfig, weights: ReadonlyMap<string, TensorData>, options: GraphOptions = {}): SequenceLogProbs {
  const s = qwen2VlLogProbs(new Graph('qwen2_vl_log_probs'), config, weights, options);
  s.graph.output(s.logps, 'logps');
  s.graph.output(s.tokenCounts, 'token_counts');
  return s;
}

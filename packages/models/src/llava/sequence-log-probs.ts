import { Graph, cast, labelLogProbs, mul, reduceSum, slice, type TensorData } from '@smart/onnx-graph';
import type { LlavaConfig } from './llava-config';
import type { SequenceLogProbs } from '../family/model-family';
import { llavaForward, type LlavaGraphOptions } from './forward';

const END = Number.MAX_SAFE_INTEGER;

/**
 * Summed completion log-probs (DPO's log π(y|x), TRL semantics): logits shifted by one, prompt and padding
 * masked by `completion_mask` [B, S]. Outputs `logps` [B] and `token_counts` [B]; trainable weights are inputs.
 */
export function sequenceLogProbs(
  graph: Graph,
  config: LlavaConfig,
  weights: ReadonlyMap<string, TensorData>,
  options: LlavaGraphOptions = {},
): SequenceLogProbs {
  const dtype = options.dtype ?? 'float32';
  const f = llavaForward(graph, config, weights, options);
  const completionMask = graph.input('completion_mask', 'int64', ['batch_size', 'sequence_length']);
  const logits = slice(f.logits, [0], [-1], [1]); // [B, S-1, V]: position t predicts token t+1
  const labels = slice(f.inputIds, [1], [END], [1]); // [B, S-1]
  const mask = cast(slice(completionMask, [1], [END], [1]), dtype); // [B, S-1]
  const lp = labelLogProbs(logits, labels); // [B, S-1]
  return {
    ...f,
    completionMask,
    logps: reduceSum(mul(lp, mask), [1], false),
    tokenCounts: reduceSum(mask, [1], false),
  };
}

/** A graph with outputs `logps` and `token_counts` (reference log-probs, evaluation). */
export function buildSequenceLogProbs(config: LlavaConfig, weights: ReadonlyMap<string, TensorData>, options: LlavaGraphOptions = {}) {
  const s = sequenceLogProbs(new Graph('sequence_log_probs'), config, weights, options);
  s.graph.output(s.logps, 'logps');
  s.graph.output(s.tokenCounts, 'token_counts');
  return s;
}

import { randomLlavaWeights, tinyModelConfig, type LlavaConfig } from '@smart/models';
import type { TensorData } from '@smart/onnx-graph';
import type { EngineOptions, PreferenceBatch, TokenBatch } from '../src/engine/types';

/** A tiny random LLaVA (seconds to build, nothing written). */
export function tinyModel(seed = 1): {
  config: LlavaConfig;
  json: Record<string, unknown>;
  weights: Map<string, TensorData>;
  imageTokenId: number;
  padTokenId: number;
} {
  const { config, json, imageTokenId, padTokenId } = tinyModelConfig({ preset: 'tiny' });
  return { config, json, weights: randomLlavaWeights(config, { seed }), imageTokenId, padTokenId };
}

/** Default engine options around a tiny model: DPO sigmoid β = 0.1, AdamW as TRL's defaults, no clipping. */
export function tinyEngineOptions(m: ReturnType<typeof tinyModel>, over: Partial<EngineOptions> = {}): EngineOptions {
  return {
    config: m.config,
    weights: m.weights,
    objective: { kind: 'dpo', lossType: 'sigmoid', beta: 0.1, labelSmoothing: 0 },
    optimizer: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
    ...over,
  };
}

/** One token row: prompt (with one image's tokens) then completion. */
export interface Row {
  prompt: number[];
  completion: number[];
}

/**
 * Right-padded rows as a TokenBatch (TRL collation: pad id, attention 0, completion mask on completion tokens),
 * with deterministic pixels, or projector features for `features` engines (ORT has no float64 Conv or Erf).
 */
export function tokenBatch(m: ReturnType<typeof tinyModel>, rows: Row[], seed = 0, images: 'pixels' | 'features' = 'pixels'): TokenBatch {
  const seqLen = Math.max(...rows.map((r) => r.prompt.length + r.completion.length));
  const ids: number[] = [];
  const att: number[] = [];
  const comp: number[] = [];
  for (const r of rows) {
    const toks = [...r.prompt, ...r.completion];
    for (let t = 0; t < seqLen; t++) {
      ids.push(t < toks.length ? toks[t]! : m.padTokenId);
      att.push(t < toks.length ? 1 : 0);
      comp.push(t >= r.prompt.length && t < toks.length ? 1 : 0);
    }
  }
  const s = m.config.vision.image_size;
  const count = rows.filter((r) => r.prompt.includes(m.imageTokenId)).length;
  const pixelShape = images === 'pixels' ? [count, 3, s, s] : [count, m.config.image_seq_length, m.config.text.hidden_size];
  const pixelValues = Float32Array.from({ length: pixelShape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.37 + seed));
  const big = (xs: number[]) => BigInt64Array.from(xs, BigInt);
  return { rows: rows.length, seqLen, inputIds: big(ids), attentionMask: big(att), completionMask: big(comp), pixelValues, pixelShape };
}

/** A prompt with one image: a few text tokens, the image's tokens, a question. */
export function imagePrompt(m: ReturnType<typeof tinyModel>, k: number): number[] {
  return [10 + k, 20 + k, ...Array<number>(m.config.image_seq_length).fill(m.imageTokenId), 30 + k, 40, 41];
}

/** N preference pairs sharing prompts: rows 0..N−1 chosen, N..2N−1 rejected, completions of different lengths. */
export function pairRows(m: ReturnType<typeof tinyModel>, n: number, offset = 0): Row[] {
  const chosen: Row[] = [];
  const rejected: Row[] = [];
  for (let k = offset; k < offset + n; k++) {
    const prompt = imagePrompt(m, k);
    chosen.push({ prompt, completion: Array.from({ length: 3 + (k % 3) }, (_, t) => 65 + ((k * 7 + t * 3) % 26)) });
    rejected.push({ prompt, completion: Array.from({ length: 2 + ((k + 1) % 4) }, (_, t) => 97 + ((k * 5 + t * 11) % 26)) });
  }
  return [...chosen, ...rejected];
}

/** A DPO batch with the given reference log-probs. */
export function preferenceBatch(batch: TokenBatch, refLogProbs: Float64Array): PreferenceBatch {
  return { ...batch, refLogProbs };
}

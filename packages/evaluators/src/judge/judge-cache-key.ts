import { createHash } from 'node:crypto';
import type { SamplingParams } from '@smart/types';

/** Everything that changes a judge's answer: the one input of {@link judgeCacheKey}. */
export interface JudgeCacheKeyInput {
  /** Judge model id (`Generator.modelId`). */
  model: string;
  system?: string;
  prompt: string;
  /** sha256 of the image shown to the judge (see `imageSha256`), when there is one. */
  imageSha256?: string;
  sampling: SamplingParams;
  /** Completions drawn (default 1). */
  n?: number;
  /** Intentional repeat index (default 0). */
  replica?: number;
}

/**
 * Cache key of a judge call: sha256 over a JSON array of the judge model, system and user prompt,
 * image hash, temperature, top-p, top-k, max tokens, n, seed and replica, with defaults spelled out
 * so an omitted field and its default share a key. MM-Vet's re-asks at a raised temperature, a
 * different judge model or a different seed never reuse another call's answer. The JSON array keeps
 * field boundaries, so ('ab', 'c') and ('a', 'bc') differ.
 */
export function judgeCacheKey(input: JudgeCacheKeyInput): string {
  const s = input.sampling;
  const material = [
    'judge/v2',
    input.model,
    input.system ?? null,
    input.prompt,
    input.imageSha256 ?? null,
    s.temperature,
    s.topP,
    s.topK ?? 0,
    s.maxNewTokens,
    input.n ?? 1,
    s.seed ?? null,
    input.replica ?? 0,
  ];
  return createHash('sha256').update(JSON.stringify(material)).digest('hex');
}

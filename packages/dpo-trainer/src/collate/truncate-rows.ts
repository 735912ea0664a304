import { ExampleEncodingError, ImageTokensTruncatedError } from '../errors';

/** Truncation limits (TRL names in comments). */
export interface TruncationLimits {
  maxLength: number | null; // max_length
  maxPromptLength: number | null; // max_prompt_length (DPO only)
  mode: 'keep_end' | 'keep_start'; // truncation_mode
  /** The model's image token id (`image_token_index`): these tokens must all survive. */
  imageTokenId: number;
}

const countOf = (ids: readonly number[], id: number) => ids.reduce((n, t) => n + (t === id ? 1 : 0), 0);

function keptPrompt(sampleId: string, prompt: number[], keep: number, limits: TruncationLimits): number[] {
  if (prompt.length <= keep) return prompt;
  const kept = limits.mode === 'keep_start' ? prompt.slice(0, keep) : prompt.slice(prompt.length - keep);
  const images = countOf(prompt, limits.imageTokenId);
  const left = countOf(kept, limits.imageTokenId);
  if (left !== images) throw new ImageTokensTruncatedError(sampleId, images, left, { maxLength: limits.maxLength, maxPromptLength: limits.maxPromptLength });
  return kept;
}

/**
 * TRL's pair truncation (`DPOTrainer.tokenize_row`, trl ≤ 0.11): when prompt + the longer completion exceeds
 * max_length, the prompt is cut to max_prompt_length (keep_end: its last tokens), and if still too long both
 * completions are cut to max_length − max_prompt_length from their end. Image tokens are never cut (typed error).
 */
export function truncatePair(
  sampleId: string,
  prompt: number[],
  chosen: number[],
  rejected: number[],
  limits: TruncationLimits,
): { prompt: number[]; chosen: number[]; rejected: number[] } {
  const { maxLength, maxPromptLength } = limits;
  if (maxLength === null) return { prompt, chosen, rejected };
  const longer = Math.max(chosen.length, rejected.length);
  let p = prompt;
  if (p.length + longer > maxLength && maxPromptLength !== null) p = keptPrompt(sampleId, p, maxPromptLength, limits);
  if (p.length + longer <= maxLength) return { prompt: p, chosen, rejected };
  const room = maxLength - (maxPromptLength ?? p.length);
  if (room <= 0) throw new ExampleEncodingError(sampleId, `prompt of ${p.length} tokens leaves no room for a completion within max_length ${maxLength}`);
  return { prompt: p, chosen: chosen.slice(0, room), rejected: rejected.slice(0, room) };
}

/**
 * SFT row truncation to max_length (TRL SFT): keep_start drops the completion's tail, keep_end drops the
 * prompt's head. Image tokens are never cut and at least one completion token must remain (typed errors).
 */
export function truncateRow(sampleId: string, prompt: number[], completion: number[], limits: TruncationLimits): { prompt: number[]; completion: number[] } {
  const { maxLength } = limits;
  if (maxLength === null || prompt.length + completion.length <= maxLength) return { prompt, completion };
  if (limits.mode === 'keep_start') {
    if (prompt.length >= maxLength) throw new ExampleEncodingError(sampleId, `prompt of ${prompt.length} tokens leaves no room for a completion within max_length ${maxLength}`);
    return { prompt, completion: completion.slice(0, maxLength - prompt.length) };
  }
  const keep = maxLength - completion.length;
  if (keep <= 0) return { prompt: keptPrompt(sampleId, prompt, 0, limits), completion: completion.slice(completion.length - maxLength) };
  return { prompt: keptPrompt(sampleId, prompt, keep, limits), completion };
}

import type { FinishReason } from '@smart/types';

/**
 * Maps a server's `finish_reason` to ours: `length` stays `length`; `content_filter` is an
 * `error`; `stop`, `eos`, `tool_calls`, missing and unknown reasons are `stop`.
 */
export function mapFinishReason(reason: string | null | undefined): FinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'content_filter') return 'error';
  return 'stop';
}

import type { GenerationRequest, GenerationResult, GenerationSample } from '@smart/types';
import { sampleSeed } from '../sampling/sample-seed';

/** One generated row: sample `sampleIndex` of request `requestIndex`. */
export interface GenerationRow {
  requestIndex: number;
  sampleIndex: number;
  /** Seed of this row's private RNG stream. */
  seed: number;
}

/** What the backend produced for one row. */
export interface RowOutput extends GenerationSample {
  promptTokens: number;
  /** When the row got a batch slot and when it finished, milliseconds. */
  startMs: number;
  endMs: number;
}

/**
 * Expands requests into rows: `n` rows per request (num_return_sequences by repeated rows), in
 * request order. `requestSeeds[i]` is request i's seed; sample k gets `sampleSeed(seed, k)`.
 */
export function planRows(requests: readonly GenerationRequest[], requestSeeds: readonly number[]): GenerationRow[] {
  const rows: GenerationRow[] = [];
  requests.forEach((request, requestIndex) => {
    for (let k = 0; k < (request.n ?? 1); k++) rows.push({ requestIndex, sampleIndex: k, seed: sampleSeed(requestSeeds[requestIndex]!, k) });
  });
  return rows;
}

/**
 * Folds row outputs (any order, matched by `rows[i]` ↔ `outputs[i]`) back into one result per
 * request, in request order; requests with n > 1 get `samples` in sample order.
 */
export function assembleResults(
  requests: readonly GenerationRequest[],
  rows: readonly GenerationRow[],
  outputs: readonly RowOutput[],
  requestSeeds: readonly number[],
): GenerationResult[] {
  if (rows.length !== outputs.length) throw new RangeError(`${rows.length} rows but ${outputs.length} outputs`);
  const byRequest: { sampleIndex: number; out: RowOutput }[][] = requests.map(() => []);
  rows.forEach((row, i) => byRequest[row.requestIndex]!.push({ sampleIndex: row.sampleIndex, out: outputs[i]! }));
  return requests.map((request, i) => {
    const parts = byRequest[i]!.sort((a, b) => a.sampleIndex - b.sampleIndex).map((p) => p.out);
    if (parts.length !== (request.n ?? 1)) throw new RangeError(`request ${request.id} expected ${request.n ?? 1} rows, got ${parts.length}`);
    const first = parts[0]!;
    const result: GenerationResult = {
      id: request.id,
      text: first.text,
      finishReason: first.finishReason,
      promptTokens: first.promptTokens,
      completionTokens: parts.reduce((s, p) => s + p.completionTokens, 0),
      latencyMs: Math.max(...parts.map((p) => p.endMs)) - Math.min(...parts.map((p) => p.startMs)),
      seed: requestSeeds[i]!,
    };
    if (parts.length > 1) result.samples = parts.map((p) => ({ text: p.text, finishReason: p.finishReason, completionTokens: p.completionTokens }));
    return result;
  });
}

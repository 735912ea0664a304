import type { GenerationRequest, ImageInput } from '@smart/types';
import { join, resolve } from 'node:path';
import { failedItem, NO_RESPONSE, summarize, type EvalRun, type ScoredItem } from '../report/eval-run';
import { extractM3CoTAnswer } from './judge-answer';
import { m3cotPrompt } from './m3cot-prompt';
import type { M3CoTRecord } from './m3cot-record';

/**
 * The image of an M3CoT record: its `image` path (a JSONL row's, or the embedded image `loadRecords`
 * wrote for an HF Parquet row) under `imageRoot`, else `<imageRoot>/<id>.png` as the official code saves them.
 */
export function m3cotImage(record: M3CoTRecord, imageRoot: string): ImageInput {
  return { kind: 'path', path: typeof record.image === 'string' ? resolve(imageRoot, record.image) : join(imageRoot, `${record.id}.png`) };
}

/** Generation requests for M3CoT; `imageOf` resolves each record's image (path or decoded pixels). */
export function m3cotRequests(records: readonly M3CoTRecord[], imageOf: (r: M3CoTRecord) => ImageInput, opts: { cot?: boolean; maxNewTokens?: number } = {}): GenerationRequest[] {
  return records.map((r) => ({
    id: r.id,
    prompt: m3cotPrompt(r, opts.cot ?? true),
    image: imageOf(r),
    sampling: { temperature: 0, topP: 1, maxNewTokens: opts.maxNewTokens ?? 1024 },
  }));
}

/** Options of `scoreM3CoT`. */
export interface ScoreM3CoTOptions {
  model: string;
  responses: ReadonlyMap<string, string>;
  cot?: boolean;
  iteration?: number;
}

/** Rule-based scoring (no judge): accuracy overall, per domain and per topic. */
export function scoreM3CoT(records: readonly M3CoTRecord[], opts: ScoreM3CoTOptions): EvalRun {
  const items = records.map((r): ScoredItem => {
    const base = { itemId: r.id, prompt: m3cotPrompt(r, opts.cot ?? true), tags: { domain: r.domain, topic: r.topic } };
    const response = opts.responses.get(r.id);
    if (response === undefined) return failedItem({ ...base, response: '' }, NO_RESPONSE);
    const pred = extractM3CoTAnswer(response, r.choices);
    const correct = pred === r.answer;
    return { ...base, response, extracted: pred, score: correct ? 1 : 0, verdict: correct ? 'correct' : 'wrong' };
  });
  return summarize({ benchmark: 'm3cot', model: opts.model, items, breakdownKeys: ['domain', 'topic'], iteration: opts.iteration });
}

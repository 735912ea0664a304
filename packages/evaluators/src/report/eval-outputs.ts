import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRecordText, readRegularFile, RecordFileError, writeFileAtomic } from '@smart/core';
import { z } from 'zod';
import { BenchmarkFileError, BenchmarkRecordError, DuplicateRecordError } from '../errors';
import { isCompleteRun, tallyItems, type EvalRun, type ScoredItem } from './eval-run';

/** Writes `<dir>/<benchmark>.jsonl` (one scored item per line) and `<dir>/<benchmark>.json` (summary), each atomically. */
export async function writeEvalOutputs(dir: string, run: EvalRun): Promise<{ jsonl: string; json: string }> {
  await mkdir(dir, { recursive: true });
  const jsonl = join(dir, `${run.result.benchmark}.jsonl`);
  const json = join(dir, `${run.result.benchmark}.json`);
  await writeFileAtomic(jsonl, run.items.map((i) => JSON.stringify(i)).join('\n') + (run.items.length ? '\n' : ''));
  const summary = {
    ...run.result,
    judgeModel: run.judgeModel ?? null,
    counts: tallyItems(run.items),
    complete: isCompleteRun(run),
    ...(run.unparseableRule ? { unparseableRule: run.unparseableRule } : {}),
    ...(run.extra ? { extra: run.extra } : {}),
  };
  await writeFileAtomic(json, JSON.stringify(summary, (_k, v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? null : v), 2));
  return { jsonl, json };
}

const ScoredItemSchema = z.object({
  itemId: z.string(),
  prompt: z.string(),
  response: z.string(),
  extracted: z.string().nullable(),
  score: z.number(),
  verdict: z.string(),
  failure: z.string().optional(),
  failureKind: z.enum(['generation', 'judge', 'unparseable', 'other']).optional(),
  unparseable: z.boolean().optional(),
  tags: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
});

/**
 * Reads a per-sample JSONL written earlier, to resume: returns items by id (malformed lines are
 * returned as errors and will simply be regenerated; a repeated item id keeps the first). A missing file
 * is an empty result; a FIFO or device is a BenchmarkFileError.
 */
export async function readScoredItems(file: string): Promise<{ items: Map<string, ScoredItem>; errors: BenchmarkRecordError[] }> {
  let text = '';
  try {
    text = (await readRegularFile(file)).toString('utf8');
  } catch (e) {
    if ((e as { cause?: NodeJS.ErrnoException }).cause?.code !== 'ENOENT') throw new BenchmarkFileError(file, e instanceof RecordFileError ? e.reason : String(e));
  }
  const items = new Map<string, ScoredItem>();
  const firstRow = new Map<string, number>();
  const errors: BenchmarkRecordError[] = [];
  for (const r of parseRecordText(text, file, { format: 'jsonl' })) {
    if (!r.ok) {
      errors.push(new BenchmarkRecordError(file, r.line, r.reason));
      continue;
    }
    const parsed = ScoredItemSchema.safeParse(r.value);
    if (parsed.success) {
      const first = firstRow.get(parsed.data.itemId);
      if (first !== undefined) errors.push(new DuplicateRecordError(file, r.line, parsed.data.itemId, first));
      else {
        firstRow.set(parsed.data.itemId, r.line);
        items.set(parsed.data.itemId, parsed.data as ScoredItem);
      }
    }
    else errors.push(new BenchmarkRecordError(file, r.line, parsed.error.issues.map((x) => x.message).join('; ')));
  }
  return { items, errors };
}

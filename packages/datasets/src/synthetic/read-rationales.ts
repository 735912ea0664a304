import { z } from 'zod';
import { DatasetRowError } from '../errors';
import { readJsonRecords } from '../json-records';
import type { SyntheticRationaleRecord } from './write-synthetic-task';

const rationaleRecordSchema = z.object({ id: z.string().min(1), kind: z.string(), answer: z.string(), rationale: z.string() });

/**
 * Reads a rationale sidecar written by `writeSyntheticTask` into a map id → record. The sidecar is
 * produced by this package, so any invalid row is an error (DatasetRowError), not a skip.
 */
export async function readRationales(
  file: string,
  options: { readChunks?: (file: string) => AsyncIterable<string> } = {},
): Promise<Map<string, SyntheticRationaleRecord>> {
  const out = new Map<string, SyntheticRationaleRecord>();
  for await (const raw of readJsonRecords(file, { format: 'jsonl', ...options })) {
    if (!raw.ok) throw new DatasetRowError(file, raw.line, `invalid JSON: ${raw.detail}`);
    const parsed = rationaleRecordSchema.safeParse(raw.value);
    if (!parsed.success) throw new DatasetRowError(file, raw.line, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    out.set(parsed.data.id, parsed.data);
  }
  return out;
}

import { z } from 'zod';
import { DatasetRowError } from '../errors';
import { sourceRecords, type LoadOptions } from '../sample-source';
import type { SyntheticRationaleRecord } from './write-synthetic-task';

const rationaleRecordSchema = z.object({ id: z.string().min(1), kind: z.string(), answer: z.string(), rationale: z.string(), told: z.record(z.string(), z.string()).optional() });

/**
 * Reads a rationale sidecar written by `writeSyntheticTask` into a map id → record. The sidecar is
 * produced by this package, so any invalid or repeated row is an error (DatasetRowError), not a skip.
 */
export async function readRationales(
  file: string,
  options: Pick<LoadOptions, 'readChunks'> = {},
): Promise<Map<string, SyntheticRationaleRecord>> {
  const out = new Map<string, SyntheticRationaleRecord>();
  const firstLine = new Map<string, number>();
  for await (const raw of sourceRecords(file, { format: 'jsonl', ...options })) {
    if (!raw.ok) throw new DatasetRowError(file, raw.line, raw.reason);
    const parsed = rationaleRecordSchema.safeParse(raw.value);
    if (!parsed.success) throw new DatasetRowError(file, raw.line, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const first = firstLine.get(parsed.data.id);
    if (first !== undefined) throw new DatasetRowError(file, raw.line, `duplicate id ${parsed.data.id} (first at line ${first})`);
    firstLine.set(parsed.data.id, raw.line);
    out.set(parsed.data.id, parsed.data);
  }
  return out;
}

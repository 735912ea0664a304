import { parseRecordText, readRecords, RecordFileError, type RecordResult } from '@smart/core';
import type { z } from 'zod';
import { BenchmarkFileError, BenchmarkRecordError } from '../errors';

/** Layouts benchmark files come in: JSONL, a JSON array, or a JSON object keyed by item id. */
export type RecordFormat = 'jsonl' | 'json-array' | 'json-object';

/** Valid records plus one error per skipped row. */
export interface LoadedRecords<T> {
  records: T[];
  errors: BenchmarkRecordError[];
}

/** Options of `parseRecords`. */
export interface ParseRecordsOptions<S extends z.ZodType> {
  /** Name used in errors (the file path). */
  file: string;
  format: RecordFormat;
  schema: S;
  /** For `json-object`: the key is stored under this field before validation (e.g. `id`). */
  keyField?: string;
  /** Field used to name a bad record in its error. */
  idField?: string;
  /** A row longer than this many characters is skipped with an error (default: @smart/core's limit). */
  maxRecordLength?: number;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(record)'}: ${i.message}`).join('; ');
}

function idOf(raw: unknown, idField: string | undefined): string | undefined {
  if (!idField || typeof raw !== 'object' || raw === null) return undefined;
  const v = (raw as Record<string, unknown>)[idField];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/** Adds one row to `out`: validated, or a `BenchmarkRecordError` (row = line for JSONL, index or key for JSON). */
function collect<S extends z.ZodType>(r: RecordResult, opts: ParseRecordsOptions<S>, out: LoadedRecords<z.infer<S>>): void {
  if (!r.ok) {
    out.errors.push(new BenchmarkRecordError(opts.file, r.line, r.reason));
    return;
  }
  const row = opts.format === 'jsonl' ? r.line : (r.key ?? r.index);
  const raw =
    r.key !== undefined && opts.keyField && typeof r.value === 'object' && r.value !== null && !Array.isArray(r.value) ? { ...r.value, [opts.keyField]: r.key } : r.value;
  const parsed = opts.schema.safeParse(raw);
  if (parsed.success) out.records.push(parsed.data);
  else out.errors.push(new BenchmarkRecordError(opts.file, row, describeIssues(parsed.error), idOf(raw, opts.idField)));
}

/** Validates every row of a benchmark file's text; bad rows become `BenchmarkRecordError`s and are skipped. */
export function parseRecords<S extends z.ZodType>(text: string, opts: ParseRecordsOptions<S>): LoadedRecords<z.infer<S>> {
  const out: LoadedRecords<z.infer<S>> = { records: [], errors: [] };
  for (const r of parseRecordText(text, opts.file, { format: opts.format, maxRecordLength: opts.maxRecordLength })) collect(r, opts, out);
  return out;
}

/**
 * Streams and validates a benchmark file (gzipped or not, by magic bytes). Throws BenchmarkFileError
 * when the file cannot be read at all (missing, not a regular file, broken gzip).
 */
export async function loadRecords<S extends z.ZodType>(
  opts: ParseRecordsOptions<S> & { read?: (path: string) => Promise<Uint8Array> },
): Promise<LoadedRecords<z.infer<S>>> {
  const out: LoadedRecords<z.infer<S>> = { records: [], errors: [] };
  const read = opts.read;
  const readChunks = read
    ? async function* (path: string) {
        yield await read(path);
      }
    : undefined;
  try {
    for await (const r of readRecords(opts.file, { format: opts.format, maxRecordLength: opts.maxRecordLength, readChunks })) collect(r, opts, out);
  } catch (e) {
    if (e instanceof RecordFileError) throw new BenchmarkFileError(opts.file, e.reason);
    throw e;
  }
  return out;
}

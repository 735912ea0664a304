import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
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
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(record)'}: ${i.message}`).join('; ');
}

function idOf(raw: unknown, idField: string | undefined): string | undefined {
  if (!idField || typeof raw !== 'object' || raw === null) return undefined;
  const v = (raw as Record<string, unknown>)[idField];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/** Validates every row of a benchmark file; bad rows become `BenchmarkRecordError`s and are skipped. */
export function parseRecords<S extends z.ZodType>(text: string, opts: ParseRecordsOptions<S>): LoadedRecords<z.infer<S>> {
  const rows: { row: number | string; raw: unknown; parseError?: string }[] = [];
  if (opts.format === 'jsonl') {
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        rows.push({ row: i + 1, raw: JSON.parse(line) });
      } catch (e) {
        rows.push({ row: i + 1, raw: undefined, parseError: `invalid JSON: ${(e as Error).message}` });
      }
    });
  } else {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new BenchmarkFileError(opts.file, `invalid JSON: ${(e as Error).message}`);
    }
    if (opts.format === 'json-array') {
      if (!Array.isArray(doc)) throw new BenchmarkFileError(opts.file, 'expected a JSON array');
      doc.forEach((raw, i) => rows.push({ row: i, raw }));
    } else {
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
        throw new BenchmarkFileError(opts.file, 'expected a JSON object keyed by item id');
      }
      for (const [key, raw] of Object.entries(doc)) {
        const withKey = opts.keyField && typeof raw === 'object' && raw !== null ? { ...raw, [opts.keyField]: key } : raw;
        rows.push({ row: key, raw: withKey });
      }
    }
  }
  const out: LoadedRecords<z.infer<S>> = { records: [], errors: [] };
  for (const { row, raw, parseError } of rows) {
    if (parseError) {
      out.errors.push(new BenchmarkRecordError(opts.file, row, parseError));
      continue;
    }
    const parsed = opts.schema.safeParse(raw);
    if (parsed.success) out.records.push(parsed.data);
    else out.errors.push(new BenchmarkRecordError(opts.file, row, describeIssues(parsed.error), idOf(raw, opts.idField)));
  }
  return out;
}

/** Reads a file's text; `.gz` files are gunzipped. Throws BenchmarkFileError when it cannot be read. */
export async function readBenchmarkText(file: string, read: (path: string) => Promise<Buffer> = readFile): Promise<string> {
  let buf: Buffer;
  try {
    buf = await read(file);
  } catch (e) {
    throw new BenchmarkFileError(file, (e as Error).message);
  }
  try {
    return (file.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
  } catch (e) {
    throw new BenchmarkFileError(file, `cannot gunzip: ${(e as Error).message}`);
  }
}

/** Reads and validates a benchmark file. */
export async function loadRecords<S extends z.ZodType>(
  opts: ParseRecordsOptions<S> & { read?: (path: string) => Promise<Buffer> },
): Promise<LoadedRecords<z.infer<S>>> {
  return parseRecords(await readBenchmarkText(opts.file, opts.read), opts);
}

import { parseRecordText, readRecords, RecordFileError, type RecordResult } from '@smart/core';
import type { z } from 'zod';
import { BenchmarkFileError, BenchmarkRecordError, DuplicateRecordError } from '../errors';
import { writeEmbeddedImages } from './embedded-images';
import { readParquetRows, type ReadParquetRowsOptions } from './read-parquet-rows';

/** Layouts benchmark files come in: JSONL, a JSON array, a JSON object keyed by item id, or Parquet (HF releases). */
export type RecordFormat = 'jsonl' | 'json-array' | 'json-object' | 'parquet';

/** The layout a file name implies: `.parquet`, `.jsonl` (gzipped or not), else a JSON document keyed by id. */
export function recordFormatOf(file: string): RecordFormat {
  if (/\.parquet$/i.test(file)) return 'parquet';
  return /\.jsonl(\.gz)?$/i.test(file) ? 'jsonl' : 'json-object';
}

/** Valid records plus one error per skipped row (a repeated id is a DuplicateRecordError). */
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
  /** Field used to name a bad record in its error, and the record's id: a repeated id is skipped (DuplicateRecordError, first wins). */
  idField?: string;
  /** A row longer than this many characters is skipped with an error (default: @smart/core's limit). */
  maxRecordLength?: number;
}

/** Options of `loadRecords`: those of `parseRecords`, plus how to read the file. */
export interface LoadRecordsOptions<S extends z.ZodType> extends ParseRecordsOptions<S> {
  /** Whole-file reader for JSON/JSONL (default: a stream of the file). */
  read?: (path: string) => Promise<Uint8Array>;
  /**
   * Parquet: where embedded images (HF `Image` columns) are written, content-addressed, before the
   * row is validated with their file paths in place. Default `<file>.images/` beside the file.
   */
  imageDir?: string;
  /** Parquet: columns to read (default all) and an in-memory opener for tests. */
  parquet?: ReadParquetRowsOptions;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(record)'}: ${i.message}`).join('; ');
}

function idOf(raw: unknown, idField: string | undefined): string | undefined {
  if (!idField || typeof raw !== 'object' || raw === null) return undefined;
  const v = (raw as Record<string, unknown>)[idField];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/** Adds one row to `out`: validated, or a `BenchmarkRecordError` (row = line for JSONL, index or key for JSON); `seen` maps ids to their first row. */
function collect<S extends z.ZodType>(r: RecordResult, opts: ParseRecordsOptions<S>, out: LoadedRecords<z.infer<S>>, seen: Map<string, number | string>): void {
  if (!r.ok) {
    out.errors.push(new BenchmarkRecordError(opts.file, r.line, r.reason));
    return;
  }
  const row = opts.format === 'jsonl' || opts.format === 'parquet' ? r.line : (r.key ?? r.index);
  const raw =
    r.key !== undefined && opts.keyField && typeof r.value === 'object' && r.value !== null && !Array.isArray(r.value) ? { ...r.value, [opts.keyField]: r.key } : r.value;
  const parsed = opts.schema.safeParse(raw);
  if (parsed.success) {
    const id = idOf(parsed.data, opts.idField);
    if (id !== undefined) {
      const first = seen.get(id);
      if (first !== undefined) {
        out.errors.push(new DuplicateRecordError(opts.file, row, id, first));
        return;
      }
      seen.set(id, row);
    }
    out.records.push(parsed.data);
  } else out.errors.push(new BenchmarkRecordError(opts.file, row, describeIssues(parsed.error), idOf(raw, opts.idField)));
}

/** Validates every row of a benchmark file's text; bad rows become `BenchmarkRecordError`s and are skipped. */
export function parseRecords<S extends z.ZodType>(text: string, opts: ParseRecordsOptions<S>): LoadedRecords<z.infer<S>> {
  if (opts.format === 'parquet') throw new BenchmarkFileError(opts.file, 'Parquet is binary: use loadRecords');
  const out: LoadedRecords<z.infer<S>> = { records: [], errors: [] };
  const seen = new Map<string, number | string>();
  for (const r of parseRecordText(text, opts.file, { format: opts.format, maxRecordLength: opts.maxRecordLength })) collect(r, opts, out, seen);
  return out;
}

/**
 * Streams and validates a benchmark file: JSON/JSONL (gzipped or not, by magic bytes) through
 * @smart/core's reader, Parquet row group by row group with embedded images written to `imageDir`.
 * Bad rows come back as errors (row = line, 1-based row for Parquet, or index/key for JSON). Throws
 * BenchmarkFileError when the file cannot be read at all (missing, not a regular file, broken gzip,
 * not Parquet).
 */
export async function loadRecords<S extends z.ZodType>(opts: LoadRecordsOptions<S>): Promise<LoadedRecords<z.infer<S>>> {
  const out: LoadedRecords<z.infer<S>> = { records: [], errors: [] };
  const seen = new Map<string, number | string>();
  if (opts.format === 'parquet') {
    const imageDir = opts.imageDir ?? `${opts.file}.images`;
    for await (const r of readParquetRows(opts.file, opts.parquet)) {
      collect(r.ok ? { ...r, value: await writeEmbeddedImages(r.value, imageDir, opts.file) } : r, opts, out, seen);
    }
    return out;
  }
  const read = opts.read;
  const readChunks = read
    ? async function* (path: string) {
        yield await read(path);
      }
    : undefined;
  try {
    for await (const r of readRecords(opts.file, { format: opts.format, maxRecordLength: opts.maxRecordLength, readChunks })) collect(r, opts, out, seen);
  } catch (e) {
    if (e instanceof RecordFileError) throw new BenchmarkFileError(opts.file, e.reason);
    throw e;
  }
  return out;
}

import { stat } from 'node:fs/promises';
import { fileKind, type RecordResult } from '@smart/core';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { BenchmarkFileError } from '../errors';

/** Options of {@link readParquetRows}. */
export interface ReadParquetRowsOptions {
  /** Columns to read (default all); an image column left out is never read from disk. */
  columns?: string[];
  /** Opens the file as byte ranges (default hyparquet's file reader); tests pass an in-memory buffer. */
  open?: (file: string) => Promise<AsyncBuffer>;
}

/** hyparquet's file reader, after refusing a FIFO or device (its size would read as 0, its reads could block). */
async function openRegularParquet(file: string): Promise<AsyncBuffer> {
  const s = await stat(file);
  if (!s.isFile()) throw new Error(`not a regular file (${fileKind(s)})`);
  return asyncBufferFromFile(file);
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Plain JSON-like values from hyparquet's: INT64 (bigint) becomes a number when it is a safe integer,
 * else its decimal string; a missing struct or list (undefined) becomes null; binary stays Uint8Array.
 */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v === undefined) return null;
  if (v instanceof Uint8Array || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Date) return v.toISOString();
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
}

/**
 * Streams the rows of a Parquet file (the layout of Hugging Face dataset releases) one row group at
 * a time, reading only that group's byte ranges, so a 700 MB file with embedded images never sits in
 * memory whole. Each row comes as a `RecordResult` whose `line` is the 1-based row number. Binary
 * columns (HF `Image` bytes) stay `Uint8Array`. Throws BenchmarkFileError when the file is not Parquet
 * or uses a codec hyparquet cannot decode.
 */
export async function* readParquetRows(file: string, opts: ReadParquetRowsOptions = {}): AsyncGenerator<RecordResult> {
  let buffer: AsyncBuffer;
  let metadata: FileMetaData;
  try {
    buffer = await (opts.open ?? openRegularParquet)(file);
    metadata = await parquetMetadataAsync(buffer);
  } catch (e) {
    throw new BenchmarkFileError(file, `not a readable Parquet file: ${messageOf(e)}`);
  }
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file: buffer, metadata, rowStart, rowEnd, utf8: false, ...(opts.columns ? { columns: opts.columns } : {}) });
    } catch (e) {
      throw new BenchmarkFileError(file, `rows ${rowStart + 1}..${rowEnd}: ${messageOf(e)}`);
    }
    for (let i = 0; i < rows.length; i++) {
      yield { ok: true, file, line: rowStart + i + 1, index: rowStart + i, value: plain(rows[i]) };
    }
    rowStart = rowEnd;
  }
}

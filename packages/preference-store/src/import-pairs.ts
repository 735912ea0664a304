import { existsSync, mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseRecordText, readRegularFileSync, RecordFileError, writeFileAtomicSync } from '@smart/core';
import type { PreferencePair } from '@smart/types';
import { parquetReadObjects } from 'hyparquet';
import type { z } from 'zod';
import { ImportFileError, ImportRowError } from './errors';
import { llamaFactoryRecordSchema, llamaFactoryRecordToPair } from './llama-factory-format';
import { imageFileName, sha256Hex, sniffMime } from './image-file';
import { parquetRowSchema, parquetRowToPair } from './parquet-format';
import { trlRecordSchema, trlRecordToPair } from './trl-format';

/** Pairs read from an export, and the rows that were skipped (nothing aborts on a bad row; a repeated sample/iteration keeps the first). */
export interface ImportResult {
  pairs: PreferencePair[];
  errors: ImportRowError[];
}

/** Options of the importers. */
export interface ImportOptions {
  /** Report rows whose image file does not exist, resolved against the dataset file's folder (default true). */
  checkImages?: boolean;
}

/** Reads a TRL JSONL export back; one JSON record per line, blank lines ignored (@smart/core's record rules). */
export function importTrl(file: string, options: ImportOptions = {}): ImportResult {
  const rows: { row: number; value: unknown }[] = [];
  const errors: ImportRowError[] = [];
  for (const r of parseRecordText(readText(file), file, { format: 'jsonl' })) {
    if (r.ok) rows.push({ row: r.line, value: r.value });
    else errors.push(new ImportRowError(file, r.line, r.reason));
  }
  return convertRows(file, rows, trlRecordSchema, trlRecordToPair, options, errors);
}

/** Reads a LLaMA-Factory sharegpt ranking JSON export back (row = 1-based position in the array). */
export function importLlamaFactory(file: string, options: ImportOptions = {}): ImportResult {
  const text = readText(file);
  if (!/^\s*\[/.test(text)) throw new ImportFileError(file, 'expected a JSON array of records');
  const rows: { row: number; value: unknown }[] = [];
  const errors: ImportRowError[] = [];
  for (const r of parseRecordText(text, file, { format: 'json-array' })) {
    if (r.ok) rows.push({ row: r.index + 1, value: r.value });
    else errors.push(new ImportRowError(file, r.line, r.reason));
  }
  return convertRows(file, rows, llamaFactoryRecordSchema, llamaFactoryRecordToPair, options, errors);
}

/**
 * Reads a Parquet export back: this package's TRL vision layout or its earlier plain-string one, and files
 * other tools write (`datasets`' Image structs; an image with bytes but no readable path is written to
 * `images/<sha256>.<ext>` beside the file). Columns the format does not use are ignored.
 */
export async function importParquet(file: string, options: ImportOptions = {}): Promise<ImportResult> {
  let objects: Record<string, unknown>[];
  try {
    const buf = readRegularFileSync(file);
    const arrayBuffer = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    objects = await parquetReadObjects({ file: arrayBuffer, utf8: false });
  } catch (err) {
    if (err instanceof RecordFileError) throw new ImportFileError(file, err.reason, { cause: err });
    throw new ImportFileError(file, `unreadable Parquet: ${(err as Error).message}`, { cause: err });
  }
  const base = dirname(resolve(file));
  const rows = objects.map((value, i) => ({ row: i + 1, value: withImagePaths(value, base) }));
  return convertRows(file, rows, parquetRowSchema, parquetRowToPair, options, []);
}

/** The row with each HF Image struct of `images` replaced by a path: its own when it exists, else its bytes written out. */
function withImagePaths(row: Record<string, unknown>, base: string): Record<string, unknown> {
  const images = row['images'];
  if (!Array.isArray(images)) return row;
  return {
    ...row,
    images: images.map((image: unknown) => {
      if (typeof image !== 'object' || image === null) return image;
      const { bytes, path } = image as { bytes?: unknown; path?: unknown };
      if (typeof path === 'string' && path !== '' && existsSync(isAbsolute(path) ? path : resolve(base, path))) return path;
      if (!(bytes instanceof Uint8Array) || bytes.byteLength === 0) return image;
      const rel = `images/${imageFileName(sha256Hex(bytes), sniffMime(bytes))}`;
      if (!existsSync(join(base, rel))) {
        mkdirSync(join(base, 'images'), { recursive: true });
        writeFileAtomicSync(join(base, rel), bytes);
      }
      return rel;
    }),
  };
}

function readText(file: string): string {
  try {
    return readRegularFileSync(file).toString('utf8');
  } catch (err) {
    throw new ImportFileError(file, err instanceof RecordFileError ? err.reason : (err as Error).message, { cause: err });
  }
}

function convertRows<S extends z.ZodType>(
  file: string,
  rows: { row: number; value: unknown }[],
  schema: S,
  toPair: (r: z.infer<S>) => PreferencePair | string[],
  options: ImportOptions,
  errors: ImportRowError[],
): ImportResult {
  const pairs: PreferencePair[] = [];
  const firstRow = new Map<string, number>();
  const base = dirname(resolve(file));
  for (const { row, value } of rows) {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ');
      errors.push(new ImportRowError(file, row, reason));
      continue;
    }
    const pair = toPair(parsed.data);
    if (Array.isArray(pair)) {
      errors.push(new ImportRowError(file, row, pair.join('; ')));
      continue;
    }
    if (options.checkImages !== false && !existsSync(isAbsolute(pair.image) ? pair.image : resolve(base, pair.image))) {
      errors.push(new ImportRowError(file, row, `image not found: ${pair.image}`));
      continue;
    }
    // One pair per (sample, iteration), as the store keys them: a repeat is reported, the first kept.
    const key = `${pair.iteration}\u0000${pair.sampleId}`;
    const first = firstRow.get(key);
    if (first !== undefined) {
      errors.push(new ImportRowError(file, row, `duplicate pair for sample ${pair.sampleId} in iteration ${pair.iteration} (first at row ${first}; the first is kept)`));
      continue;
    }
    firstRow.set(key, row);
    pairs.push(pair);
  }
  errors.sort((a, b) => a.row - b.row);
  return { pairs, errors };
}

import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseRecordText, readRegularFileSync, RecordFileError } from '@smart/core';
import { parquetReadObjects } from 'hyparquet';
import type { z } from 'zod';
import { readDatasetInfo } from './dataset-info-file';
import { ImportFileError, ImportRowError, InvalidRecordError } from './errors';
import { ImageFolder } from './image-folder';
import { stripImagePlaceholders } from './image-placeholder';
import { ImageResolver } from './import-images';
import { importedPair, provenanceSchema, type ImportedPair, type RowReading } from './imported-pair';
import { llamaFactoryAttr, llamaFactoryDatasetEntrySchema, llamaFactoryDatasetInfo, readLlamaFactoryRow, type LlamaFactoryAttr } from './llama-factory-format';
import { readTrlRow, trlRowSchema } from './trl-format';

/** Pairs read from a dataset file, and the rows that were skipped (nothing aborts on a bad row; a repeated sample/iteration keeps the first). */
export interface ImportResult {
  pairs: ImportedPair[];
  /** One per skipped row, in row order. */
  errors: ImportRowError[];
}

/** Options of the importers. */
export interface ImportOptions {
  /** Report rows whose image file does not exist, resolved against the dataset file's folder (default true). */
  checkImages?: boolean;
  /** Iteration of rows without an `iteration` column (default 0). */
  iteration?: number;
  /**
   * Where images embedded as bytes are written, content-addressed (default: `images/` beside the dataset file).
   * `store.images.dir` puts them in a store's image folder.
   */
  imageDir?: string;
}

/** Options of importLlamaFactory. */
export interface LlamaFactoryImportOptions extends ImportOptions {
  /** The `dataset_info.json` entry to follow (default: the one whose `file_name` is this file, else SMART's layout). */
  dataset?: string;
}

type Rows = { row: number; value: unknown }[];
type Reader = (value: unknown) => RowReading | string[];

/**
 * Reads a TRL preference JSONL file, SMART's or another tool's: conversational or plain-string `prompt`
 * (or TRL's implicit prompt), `chosen`, `rejected`, images as paths or `{bytes, path}` structs in `images`
 * or `image`. One JSON record per line, blank lines ignored (@smart/core's record rules).
 */
export function importTrl(file: string, options: ImportOptions = {}): ImportResult {
  const rows: Rows = [];
  const errors: ImportRowError[] = [];
  for (const r of parseRecordText(readText(file), file, { format: 'jsonl' })) {
    if (r.ok) rows.push({ row: r.line, value: r.value });
    else errors.push(new ImportRowError(file, r.line, r.reason));
  }
  return convertRows(file, rows, readTrl, options, errors);
}

/**
 * Reads a TRL preference Parquet file: SMART's export or one `datasets` wrote (HF Image structs, `Sequence(Image())`
 * or `Image()` columns, INT64 integers, Arrow's message structs); columns the format does not use are ignored.
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
  return convertRows(file, objects.map((value, i) => ({ row: i + 1, value })), readTrl, options, []);
}

/**
 * Reads a LLaMA-Factory ranking dataset (JSON array, or JSON lines for `.jsonl`; row = 1-based element or line)
 * as the `dataset_info.json` beside it describes it: sharegpt or alpaca formatting, its column names and sharegpt
 * tags. Without a matching entry the file is read as SMART writes it (sharegpt, `conversations`, `images`).
 */
export function importLlamaFactory(file: string, options: LlamaFactoryImportOptions = {}): ImportResult {
  const attr = datasetAttr(file, options.dataset);
  const text = readText(file);
  const jsonl = file.endsWith('.jsonl');
  if (!jsonl && !/^\s*\[/.test(text)) throw new ImportFileError(file, 'expected a JSON array of records');
  const rows: Rows = [];
  const errors: ImportRowError[] = [];
  for (const r of parseRecordText(text, file, { format: jsonl ? 'jsonl' : 'json-array' })) {
    if (r.ok) rows.push({ row: jsonl ? r.line : r.index + 1, value: r.value });
    else errors.push(new ImportRowError(file, r.line, r.reason));
  }
  return convertRows(file, rows, (value) => readLlamaFactoryRow(value, attr), options, errors);
}

const reasons = (error: z.ZodError): string[] => error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`);

function readTrl(value: unknown): RowReading | string[] {
  const parsed = trlRowSchema.safeParse(value);
  return parsed.success ? readTrlRow(parsed.data) : reasons(parsed.error);
}

/** The attributes of the dataset `file` is, from `dataset_info.json` in its folder when it has an entry for it. */
function datasetAttr(file: string, dataset: string | undefined): LlamaFactoryAttr {
  const infoFile = join(dirname(file), 'dataset_info.json');
  const info = existsSync(infoFile) ? readDatasetInfo(infoFile, 'cannot read dataset_info.json') : undefined;
  let name = dataset;
  let entry: unknown;
  if (dataset !== undefined) {
    if (!info || !(dataset in info)) throw new ImportFileError(infoFile, `no dataset named ${dataset}`);
    entry = info[dataset];
  } else {
    const found = Object.entries(info ?? {}).find(([, e]) => typeof e === 'object' && e !== null && (e as { file_name?: unknown }).file_name === basename(file));
    [name, entry] = found ?? [undefined, llamaFactoryDatasetInfo(basename(file))];
  }
  const parsed = llamaFactoryDatasetEntrySchema.safeParse(entry);
  if (!parsed.success) throw new ImportFileError(infoFile, `entry ${name}: ${reasons(parsed.error).join('; ')}`);
  const attr = llamaFactoryAttr(parsed.data);
  const problem = !attr.ranking
    ? 'is not a preference dataset (ranking is not true)'
    : attr.columns.images === undefined
      ? 'maps no images column (SMART pairs need one image)'
      : attr.formatting === 'sharegpt' && (['role', 'content', 'user', 'assistant'] as const).some((t) => attr.tags[t] === undefined)
        ? 'lacks one of role_tag, content_tag, user_tag, assistant_tag'
        : undefined;
  if (problem) throw new ImportFileError(infoFile, `entry ${name} ${problem}`);
  return attr;
}

function readText(file: string): string {
  try {
    return readRegularFileSync(file).toString('utf8');
  } catch (err) {
    throw new ImportFileError(file, err instanceof RecordFileError ? err.reason : (err as Error).message, { cause: err });
  }
}

/** The prompt without its image placeholders, or why its placeholders do not match the one image. */
function promptOf(reading: RowReading): string | string[] {
  const { placeholders, texts } = reading;
  if (placeholders.kind === 'parts') {
    return placeholders.count === 1 ? texts.prompt : [`number of {"type":"image"} parts (${placeholders.count}) differs from images (1)`];
  }
  const stripped = stripImagePlaceholders(texts.prompt, 1);
  if (stripped.placeholders === 1 || (stripped.placeholders === 0 && !placeholders.required)) return stripped.text;
  return [`number of <image> placeholders (${stripped.placeholders}) differs from images (1)`];
}

function convertRows(file: string, rows: Rows, read: Reader, options: ImportOptions, errors: ImportRowError[]): ImportResult {
  const iteration = options.iteration ?? 0;
  if (!Number.isInteger(iteration) || iteration < 0) throw new InvalidRecordError('import option', 'iteration', `must be a non-negative integer, got ${iteration}`);
  const pairs: ImportedPair[] = [];
  const firstRow = new Map<string, number>();
  const base = dirname(resolve(file));
  const images = new ImageResolver(file, base, new ImageFolder(options.imageDir ?? join(base, 'images')), options.checkImages !== false);
  for (const { row, value } of rows) {
    const reading = read(value);
    // A row that is no object is reported once, by its format's reader.
    const provenance = provenanceSchema.safeParse(typeof value === 'object' && value !== null ? value : {});
    const problems = [...(Array.isArray(reading) ? reading : []), ...(provenance.success ? [] : reasons(provenance.error))];
    if (!Array.isArray(reading) && reading.images.length !== 1) {
      problems.push(reading.images.length === 0 ? 'images: none (SMART pairs need one image)' : `images: ${reading.images.length} (SMART pairs hold one image)`);
    }
    const prompt = Array.isArray(reading) || problems.length > 0 ? [] : promptOf(reading);
    if (Array.isArray(prompt)) problems.push(...prompt);
    if (problems.length > 0 || Array.isArray(reading) || !provenance.success || Array.isArray(prompt)) {
      errors.push(new ImportRowError(file, row, problems.join('; ')));
      continue;
    }
    // Images are written only for rows that are otherwise good.
    const image = images.resolve(reading.images[0], row, 0);
    if (image instanceof ImportRowError) {
      errors.push(image);
      continue;
    }
    const pair = importedPair({ ...reading.texts, prompt }, image, provenance.data, iteration);
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

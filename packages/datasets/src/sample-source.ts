import { isAbsolute, resolve, dirname } from 'node:path';
import type { Sample, SourceFormat } from '@smart/types';
import type { McParseResult } from '@smart/aot-prompts';
import type { z } from 'zod';
import { readRecords, RecordFileError, type ReadRecordsOptions, type RecordResult } from '@smart/core';
import { SourceReadError } from './errors';
import type { LoadSummary, RowIssue, SkipReason } from './load-summary';
import { fileExists } from './node-io';

/** Options shared by every loader. */
export interface LoadOptions {
  /** The JSONL or JSON-array file. */
  file: string;
  /** Folder that relative image paths are resolved against; defaults to the file's folder. */
  imageRoot?: string;
  /** Existence check for resolved image paths; defaults to a filesystem stat. */
  imageExists?: (absolutePath: string) => boolean | Promise<boolean>;
  /** Set false to skip the image check (e.g. when images are fetched later). Default true. */
  checkImages?: boolean;
  /** `auto` (default) detects a JSON array by its leading `[`; `json-object` (an object keyed by id) is never guessed. */
  format?: 'auto' | 'jsonl' | 'json-array' | 'json-object';
  /** Source of the file's content; defaults to a stream of the regular file (gzip detected by magic bytes). */
  readChunks?: ReadRecordsOptions['readChunks'];
  /** A record longer than this many characters is skipped as `invalid-json` (default: @smart/core's limit). */
  maxRecordLength?: number;
  /** How many issues the summary keeps as examples (default 5). */
  maxExamples?: number;
  /** Called for every skipped row (the summary only keeps the first few). */
  onSkip?: (issue: RowIssue) => void;
}

/** What a format adapter makes of one schema-valid record. */
export interface AdaptedRecord {
  /** Id from the record, or undefined to use the record's ordinal. */
  id: string | undefined;
  /** Image path as written in the record; null/undefined when the record has none. */
  image: string | null | undefined;
  parsed: McParseResult;
  /** Extra provenance for `Sample.meta` (e.g. the record's split). */
  meta?: Record<string, unknown>;
  /** Set when the record is valid but not wanted by this load (counted under its reason). */
  skip?: { reason: SkipReason; detail: string };
}

/** Turns one raw record of a source format into a sample candidate. */
export interface FormatAdapter<S extends z.ZodType> {
  format: SourceFormat;
  schema: S;
  /** `key` is the record's member name in a `json-object` file. */
  adapt(record: z.infer<S>, key: string | undefined): AdaptedRecord;
}

/**
 * A streamed source of samples. Iterate it with `for await`; `summary` is updated as rows are read
 * and is final when iteration ends. Each new iteration re-reads the file and resets the summary.
 */
export class SampleSource<S extends z.ZodType = z.ZodType> implements AsyncIterable<Sample> {
  private current: LoadSummary;

  constructor(
    private readonly adapter: FormatAdapter<S>,
    private readonly options: LoadOptions,
  ) {
    this.current = emptySummary(options.file, adapter.format);
  }

  /** Counts of the load so far (final once iteration has finished). */
  get summary(): LoadSummary {
    return this.current;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Sample> {
    const { file, maxExamples = 5, onSkip, checkImages = true } = this.options;
    const imageRoot = this.options.imageRoot ?? dirname(file);
    const exists = this.options.imageExists ?? fileExists;
    const summary = emptySummary(file, this.adapter.format);
    this.current = summary;
    const seenIds = new Set<string>();
    const imageCache = new Map<string, boolean>();

    const skip = (line: number, reason: SkipReason, detail: string, id?: string) => {
      summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1;
      const issue: RowIssue = { file, line, reason, detail, ...(id === undefined ? {} : { id }) };
      if (summary.examples.length < maxExamples) summary.examples.push(issue);
      onSkip?.(issue);
    };

    const records = sourceRecords(file, this.options);
    for await (const raw of records) {
      const ordinal = summary.read++;
      if (!raw.ok) {
        skip(raw.line, 'invalid-json', raw.reason);
        continue;
      }
      const checked = this.adapter.schema.safeParse(raw.value);
      if (!checked.success) {
        skip(raw.line, 'schema-violation', formatZodIssues(checked.error));
        continue;
      }
      const { id: recordId, image, parsed, meta, skip: unwanted } = this.adapter.adapt(checked.data, raw.key);
      const id = recordId ?? raw.key ?? String(ordinal);
      if (unwanted) {
        skip(raw.line, unwanted.reason, unwanted.detail, id);
        continue;
      }
      if (!parsed.ok) {
        skip(raw.line, parsed.reason, parsed.detail, id);
        continue;
      }
      if (!image) {
        skip(raw.line, 'no-image', 'record names no image', id);
        continue;
      }
      if (checkImages) {
        const abs = isAbsolute(image) ? image : resolve(imageRoot, image);
        let ok = imageCache.get(abs);
        if (ok === undefined) {
          ok = await exists(abs);
          imageCache.set(abs, ok);
        }
        if (!ok) {
          skip(raw.line, 'missing-image', `image not found: ${abs}`, id);
          continue;
        }
      }
      if (seenIds.has(id)) {
        skip(raw.line, 'duplicate-id', `id ${id} already used by an earlier row`, id);
        continue;
      }
      seenIds.add(id);
      summary.kept++;
      const { item } = parsed;
      yield {
        id,
        image: { path: image },
        question: item.question,
        ...(item.hint === undefined ? {} : { hint: item.hint }),
        choices: item.choices,
        answer: item.answer,
        source: this.adapter.format,
        meta: { ...meta, file, line: raw.line },
      };
    }
  }
}

/** Reads a whole source into memory: convenient for small files and tests. */
export async function collectSamples(source: SampleSource): Promise<{ samples: Sample[]; summary: LoadSummary }> {
  const samples: Sample[] = [];
  for await (const s of source) samples.push(s);
  return { samples, summary: source.summary };
}

function emptySummary(file: string, format: SourceFormat): LoadSummary {
  return { file, format, read: 0, kept: 0, skipped: {}, examples: [] };
}

function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/** The file's records; a file that cannot be read at all is a SourceReadError, the one error that aborts a load. */
export async function* sourceRecords(file: string, options: Pick<LoadOptions, 'format' | 'readChunks' | 'maxRecordLength'>): AsyncGenerator<RecordResult> {
  try {
    yield* readRecords(file, { format: options.format, readChunks: options.readChunks, maxRecordLength: options.maxRecordLength });
  } catch (err) {
    throw err instanceof RecordFileError ? new SourceReadError(file, err) : err;
  }
}

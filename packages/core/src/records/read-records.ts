import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { NotRegularFileError, RecordFileError } from '../errors';
import { fileKind } from '../fs/read-regular-file';
import { ContainerSplitter } from './container-splitter';
import { LineSplitter } from './line-splitter';
import { DEFAULT_MAX_RECORD_LENGTH, type RecordFormat, type RecordResult } from './record-result';
import type { Splitter } from './splitter';

/** Options of `readRecords` and `parseRecordText`. */
export interface ReadRecordsOptions {
  /** `auto` (default): `json-array` when the first non-blank character is `[`, else `jsonl`. `json-object` is never guessed. */
  format?: RecordFormat | 'auto';
  /** A line or element longer than this (UTF-16 code units) is skipped as a bad row; default 64 Mi. */
  maxRecordLength?: number;
  /**
   * Source of the file's content; defaults to a stream of the regular file at `path`. Byte chunks
   * starting with the gzip magic (1f 8b) are gunzipped; string chunks are taken as text.
   */
  readChunks?: (path: string) => AsyncIterable<Uint8Array | string>;
}

/**
 * Streams the records of a JSONL, JSON-array or JSON-object file (gzipped or not, by magic bytes)
 * without holding the file in memory. Each row comes with its file and 1-based line; a row that does
 * not parse or is too long is yielded as `ok: false` and the reader goes on. Only a file that cannot
 * be read throws (RecordFileError; NotRegularFileError for a FIFO, device or directory, checked
 * before opening so it is never read forever).
 */
export async function* readRecords(path: string, options: ReadRecordsOptions = {}): AsyncGenerator<RecordResult> {
  const source = options.readChunks ? options.readChunks(path) : await openRegularFile(path);
  const feed = new RecordFeed(path, options);
  try {
    for await (const text of decodeChunks(path, source)) yield* feed.push(text);
  } catch (err) {
    if (err instanceof RecordFileError) throw err;
    throw new RecordFileError(path, describe(err), { cause: err });
  }
  yield* feed.end();
}

/** The records of text already in memory, by the same rules as `readRecords`. */
export function* parseRecordText(text: string, file: string, options: Omit<ReadRecordsOptions, 'readChunks'> = {}): Generator<RecordResult> {
  const feed = new RecordFeed(file, options);
  yield* feed.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  yield* feed.end();
}

/** Picks the splitter once the first non-blank character is known. */
class RecordFeed {
  private splitter: Splitter | null = null;
  private format: RecordFormat | 'auto';
  private readonly maxLength: number;

  constructor(
    private readonly file: string,
    options: Omit<ReadRecordsOptions, 'readChunks'>,
  ) {
    this.format = options.format ?? 'auto';
    this.maxLength = options.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH;
  }

  *push(chunk: string): Generator<RecordResult> {
    if (!this.splitter) {
      if (this.format === 'auto') {
        const m = /\S/.exec(chunk);
        if (!m) return; // only whitespace so far: decide on a later chunk
        this.format = m[0] === '[' ? 'json-array' : 'jsonl';
      }
      this.splitter = this.format === 'jsonl' ? new LineSplitter(this.file, this.maxLength) : new ContainerSplitter(this.file, this.format, this.maxLength);
    }
    yield* this.splitter.push(chunk);
  }

  *end(): Generator<RecordResult> {
    if (this.splitter) yield* this.splitter.end();
  }
}

async function openRegularFile(path: string): Promise<AsyncIterable<Uint8Array>> {
  let kind: string;
  try {
    const s = await stat(path);
    if (s.isFile()) return createReadStream(path, { highWaterMark: 1 << 20 });
    kind = fileKind(s);
  } catch (err) {
    throw new RecordFileError(path, describe(err), { cause: err });
  }
  throw new NotRegularFileError(path, kind);
}

/** UTF-8 text of the chunks (BOM dropped), gunzipped first when the bytes start with the gzip magic. */
async function* decodeChunks(path: string, source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const rest: AsyncIterable<Uint8Array | string> = { [Symbol.asyncIterator]: () => iterator };
  const decoder = new TextDecoder('utf-8');
  if (typeof first.value === 'string') {
    yield first.value.charCodeAt(0) === 0xfeff ? first.value.slice(1) : first.value;
    for await (const chunk of rest) yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const tail = decoder.decode();
    if (tail) yield tail;
    return;
  }
  // The gzip magic is two bytes; a source may deliver them in separate chunks.
  let head: Uint8Array = first.value;
  while (head.length < 2) {
    const more = await iterator.next();
    if (more.done) break;
    head = Buffer.concat([head, typeof more.value === 'string' ? Buffer.from(more.value) : more.value]);
  }
  const bytes = prepend(head, rest);
  const isGzip = head[0] === 0x1f && head[1] === 0x8b;
  const stream = isGzip ? gunzip(path, bytes) : bytes;
  for await (const chunk of stream) {
    const text = decoder.decode(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

async function* prepend(first: Uint8Array, rest: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
  yield first;
  for await (const chunk of rest) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

async function* gunzip(path: string, bytes: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const inflate = createGunzip();
  const pump = (async () => {
    try {
      for await (const chunk of bytes) {
        if (inflate.destroyed) return;
        if (!inflate.write(chunk)) await new Promise((resolve) => (inflate.once('drain', resolve), inflate.once('close', resolve)));
      }
      inflate.end();
    } catch (err) {
      inflate.destroy(err as Error);
    }
  })();
  try {
    for await (const chunk of inflate) yield chunk as Buffer;
  } catch (err) {
    if (err instanceof RecordFileError) throw err;
    throw new RecordFileError(path, `cannot gunzip: ${describe(err)}`, { cause: err });
  } finally {
    inflate.destroy();
    await pump;
  }
}

function describe(err: unknown): string {
  return (err as NodeJS.ErrnoException)?.code ?? (err instanceof Error ? err.message : String(err));
}

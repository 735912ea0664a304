import { SourceReadError } from './errors';
import { readFileChunks } from './node-io';

/** Layout of a record file: one JSON value per line, or one top-level JSON array. */
export type RecordFileFormat = 'auto' | 'jsonl' | 'json-array';

/** One record of a file, parsed or not, with the 1-based line where it starts. */
export type RawRecord = { ok: true; line: number; value: unknown } | { ok: false; line: number; detail: string };

/** Options of `readJsonRecords`. */
export interface ReadJsonRecordsOptions {
  /** `auto` (default) picks `json-array` when the first non-blank character is `[`. */
  format?: RecordFileFormat;
  /** Source of the file's text; defaults to a UTF-8 file stream. */
  readChunks?: (file: string) => AsyncIterable<string>;
}

/**
 * Streams the records of a JSONL file or a JSON-array file without holding the whole file in memory.
 * Blank lines are ignored; a line or array element that does not parse is yielded as `ok: false` with
 * its line number. Only an unreadable file throws (SourceReadError).
 */
export async function* readJsonRecords(file: string, options: ReadJsonRecordsOptions = {}): AsyncGenerator<RawRecord> {
  const read = options.readChunks ?? readFileChunks;
  let format = options.format ?? 'auto';
  let splitter: Splitter | null = null;
  let first = true;
  try {
    for await (const raw of read(file)) {
      let chunk = raw;
      if (first && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = false;
      if (!splitter) {
        if (format === 'auto') {
          const m = /\S/.exec(chunk);
          if (!m) continue; // only whitespace so far: decide on a later chunk
          format = m[0] === '[' ? 'json-array' : 'jsonl';
        }
        splitter = format === 'json-array' ? new ArraySplitter() : new LineSplitter();
      }
      yield* splitter.push(chunk);
    }
  } catch (err) {
    throw new SourceReadError(file, err);
  }
  if (splitter) yield* splitter.end();
}

interface Splitter {
  push(chunk: string): Generator<RawRecord>;
  end(): Generator<RawRecord>;
}

function parse(text: string, line: number): RawRecord {
  try {
    return { ok: true, line, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, line, detail: err instanceof Error ? err.message : String(err) };
  }
}

class LineSplitter implements Splitter {
  private rest = '';
  private line = 0;

  *push(chunk: string): Generator<RawRecord> {
    const text = this.rest + chunk;
    let pos = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', pos)) >= 0) {
      this.line++;
      const row = text.slice(pos, nl);
      pos = nl + 1;
      if (row.trim()) yield parse(row, this.line);
    }
    this.rest = text.slice(pos);
  }

  *end(): Generator<RawRecord> {
    this.line++;
    if (this.rest.trim()) yield parse(this.rest, this.line);
    this.rest = '';
  }
}

const enum C {
  Newline = 10,
  Quote = 34,
  Backslash = 92,
  Comma = 44,
  OpenBracket = 91,
  CloseBracket = 93,
  OpenBrace = 123,
  CloseBrace = 125,
}

/**
 * Splits a top-level JSON array into its elements by tracking string/escape state and nesting depth,
 * so each element is parsed on its own and one broken element does not lose the rest.
 */
class ArraySplitter implements Splitter {
  private state: 'before' | 'between' | 'element' | 'after' = 'before';
  private line = 1;
  private parts: string[] = [];
  private startLine = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private trailingReported = false;

  *push(chunk: string): Generator<RawRecord> {
    let start = this.state === 'element' ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      if (this.inString) {
        // Jump to the next quote or backslash (valid JSON strings hold no raw newlines to count).
        if (this.escaped) {
          this.escaped = false;
          continue;
        }
        const q = chunk.indexOf('"', i);
        const b = chunk.indexOf('\\', i);
        if (b >= 0 && (q < 0 || b < q)) {
          if (b + 1 < chunk.length) i = b + 1; // skip the escaped character
          else {
            this.escaped = true;
            i = b;
          }
        } else if (q >= 0) {
          this.inString = false;
          i = q;
        } else i = chunk.length;
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (c === C.Newline) this.line++;
      if (this.state === 'element') {
        if (c === C.Quote) this.inString = true;
        else if (c === C.OpenBrace || c === C.OpenBracket) this.depth++;
        else if ((c === C.CloseBrace || c === C.CloseBracket) && this.depth > 0) this.depth--;
        else if (this.depth === 0 && (c === C.Comma || c === C.CloseBracket)) {
          this.parts.push(chunk.slice(start, i));
          yield parse(this.parts.join(''), this.startLine);
          this.parts = [];
          this.state = c === C.Comma ? 'between' : 'after';
        }
        continue;
      }
      if (isSpace(c)) continue;
      if (this.state === 'before') {
        if (c === C.OpenBracket) this.state = 'between';
        else return yield* this.trailing(`expected "[" at the start of a JSON array file`);
      } else if (this.state === 'between') {
        if (c === C.CloseBracket) this.state = 'after';
        else if (c !== C.Comma) {
          this.state = 'element';
          this.startLine = this.line;
          this.depth = 0;
          start = i;
          i--; // re-read this character as the element's first
        }
      } else if (this.state === 'after') {
        return yield* this.trailing('content after the closing "]" of the array');
      }
    }
    if (this.state === 'element') this.parts.push(chunk.slice(start));
  }

  *end(): Generator<RawRecord> {
    if (this.state === 'element') {
      const text = this.parts.join('');
      this.parts = [];
      const parsed = parse(text, this.startLine);
      yield parsed.ok ? { ok: false, line: this.startLine, detail: 'file ends before the closing "]" of the array' } : parsed;
    } else if (this.state === 'between') {
      yield { ok: false, line: this.line, detail: 'file ends before the closing "]" of the array' };
    }
  }

  private *trailing(detail: string): Generator<RawRecord> {
    if (!this.trailingReported) yield { ok: false, line: this.line, detail };
    this.trailingReported = true;
    this.state = 'after';
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

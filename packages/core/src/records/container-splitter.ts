import type { RecordResult } from './record-result';
import { parseRecord, type Splitter } from './splitter';

const enum C {
  Tab = 9,
  Newline = 10,
  Return = 13,
  Space = 32,
  Quote = 34,
  Comma = 44,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  OpenBrace = 123,
  CloseBrace = 125,
}

/**
 * Splits a top-level JSON array (elements) or object (members, `"key": value`) into records by
 * tracking string/escape state and nesting depth, so each record is parsed on its own and one broken
 * record does not lose the rest. An element whose brackets or quotes never close is cut where a line
 * starts, at the element's own column, with the element's opening character after a comma (or after a
 * string broken by a raw newline): the layout of the next record in any line-per-record or indented dump.
 * Every character is visited at most a constant number of times.
 */
export class ContainerSplitter implements Splitter {
  private state: 'before' | 'between' | 'element' | 'after' = 'before';
  private readonly open: number;
  private readonly close: number;
  private line = 1;
  private col = 0;
  private atLineStart = true;
  private parts: string[] = [];
  private length = 0;
  private tooLong = false;
  private startLine = 0;
  private startCol = 0;
  private startChar = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private broken = false;
  private lastSignificant = 0;
  private index = 0;
  private trailingReported = false;

  constructor(
    private readonly file: string,
    private readonly kind: 'json-array' | 'json-object',
    private readonly maxLength: number,
  ) {
    this.open = kind === 'json-array' ? C.OpenBracket : C.OpenBrace;
    this.close = kind === 'json-array' ? C.CloseBracket : C.CloseBrace;
  }

  *push(chunk: string): Generator<RecordResult> {
    const n = chunk.length;
    // Next position of each character a string can stop at; searched again only once passed, so
    // scanning many short strings never rescans the chunk.
    let nextQuote = -1;
    let nextBackslash = -1;
    let nextNewline = -1;
    const find = (cached: number, code: string, from: number): number => (cached >= from ? cached : indexOrEnd(chunk, code, from));
    let start = this.state === 'element' ? 0 : -1;
    for (let i = 0; i < n; i++) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          if (chunk.charCodeAt(i) !== C.Newline) {
            this.col++;
            continue;
          }
        } else {
          nextQuote = find(nextQuote, '"', i);
          nextBackslash = find(nextBackslash, '\\', i);
          nextNewline = find(nextNewline, '\n', i);
          const j = Math.min(nextQuote, nextBackslash, nextNewline);
          this.col += j - i;
          if (j >= n) break;
          i = j;
          if (j === nextQuote) {
            this.inString = false;
            this.col++;
            continue;
          }
          if (j === nextBackslash) {
            this.escaped = true;
            this.col++;
            continue;
          }
        }
        // A raw newline never occurs inside a valid JSON string: the string is broken.
        this.inString = false;
        this.broken = true;
      }
      const c = chunk.charCodeAt(i);
      if (c === C.Newline) {
        this.line++;
        this.col = 0;
        this.atLineStart = true;
        continue;
      }
      if (c === C.Space || c === C.Tab || c === C.Return) {
        this.col++;
        continue;
      }
      const lineStart = this.atLineStart;
      this.atLineStart = false;
      if (this.state === 'element' && lineStart && this.resyncsAt(c)) {
        yield this.bad(this.startLine, `malformed element: brackets or quotes not closed before line ${this.line}`);
        this.beginElement(c);
        start = i;
      } else if (this.state === 'between') {
        if (c === this.close || c === C.Comma) {
          if (c === this.close) this.state = 'after';
          this.col++;
          continue;
        }
        this.beginElement(c);
        start = i;
      } else if (this.state === 'before') {
        if (c === this.open) this.state = 'between';
        else yield* this.trailing(`expected "${String.fromCharCode(this.open)}" at the start of a ${this.kind} file`);
        this.col++;
        continue;
      } else if (this.state === 'after') {
        yield* this.trailing(`content after the closing "${String.fromCharCode(this.close)}"`);
        this.col++;
        continue;
      }
      // Inside an element.
      if (c === C.Quote) this.inString = true;
      else if (c === C.OpenBrace || c === C.OpenBracket) this.depth++;
      else if ((c === C.CloseBrace || c === C.CloseBracket) && this.depth > 0) this.depth--;
      else if (this.depth === 0 && (c === C.Comma || c === this.close)) {
        this.append(chunk.slice(start, i));
        yield this.finishElement();
        this.state = c === C.Comma ? 'between' : 'after';
      }
      this.lastSignificant = c;
      this.col++;
    }
    if (this.state === 'element') this.append(chunk.slice(start));
  }

  *end(): Generator<RecordResult> {
    const truncated = `file ends before the closing "${String.fromCharCode(this.close)}"`;
    if (this.state === 'element') {
      const record = this.finishElement();
      yield record.ok ? this.bad(record.line, truncated) : record;
    } else if (this.state === 'between') yield this.bad(this.line, truncated);
  }

  private resyncsAt(c: number): boolean {
    return (this.depth > 0 || this.broken) && this.col === this.startCol && c === this.startChar && (this.broken || this.lastSignificant === C.Comma);
  }

  private beginElement(c: number): void {
    this.state = 'element';
    this.startLine = this.line;
    this.startCol = this.col;
    this.startChar = c;
    this.depth = 0;
    this.broken = false;
    this.inString = false;
    this.escaped = false;
    this.parts = [];
    this.length = 0;
    this.tooLong = false;
  }

  private append(piece: string): void {
    if (this.tooLong || piece.length === 0) return;
    this.length += piece.length;
    if (this.length > this.maxLength) {
      this.tooLong = true;
      this.parts = [];
    } else this.parts.push(piece);
  }

  private finishElement(): RecordResult {
    const index = this.index++;
    const text = this.parts.join('');
    this.parts = [];
    if (this.tooLong) return this.bad(this.startLine, `record longer than ${this.maxLength} characters`);
    if (this.kind === 'json-array') return parseRecord(text, this.file, this.startLine, index);
    const member = parseRecord(`{${text}}`, this.file, this.startLine, index);
    if (!member.ok) return member;
    const entries = Object.entries(member.value as Record<string, unknown>);
    if (entries.length !== 1) return this.bad(this.startLine, 'expected one "key": value member');
    const [key, value] = entries[0]!;
    return { ok: true, file: this.file, line: this.startLine, index, value, key };
  }

  private bad(line: number, reason: string): RecordResult {
    return { ok: false, file: this.file, line, reason };
  }

  private *trailing(reason: string): Generator<RecordResult> {
    if (!this.trailingReported) yield this.bad(this.line, reason);
    this.trailingReported = true;
    this.state = 'after';
  }
}

function indexOrEnd(s: string, code: string, from: number): number {
  const at = s.indexOf(code, from);
  return at < 0 ? s.length : at;
}

import type { RecordResult } from './record-result';
import { parseRecord, type Splitter } from './splitter';

/**
 * Splits JSONL text into lines. Only each new chunk is searched for newlines, and a line past
 * `maxLength` stops being buffered at once, so a huge line costs linear time and bounded memory.
 */
export class LineSplitter implements Splitter {
  private parts: string[] = [];
  private length = 0;
  private tooLong = false;
  private line = 0;
  private index = 0;

  constructor(
    private readonly file: string,
    private readonly maxLength: number,
  ) {}

  *push(chunk: string): Generator<RecordResult> {
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', pos);
      if (nl < 0) {
        this.add(chunk.slice(pos));
        return;
      }
      this.add(chunk.slice(pos, nl));
      pos = nl + 1;
      yield* this.finishLine();
    }
  }

  *end(): Generator<RecordResult> {
    if (this.length > 0 || this.tooLong) yield* this.finishLine();
  }

  private add(piece: string): void {
    if (this.tooLong || piece.length === 0) return;
    this.length += piece.length;
    if (this.length > this.maxLength) {
      this.tooLong = true;
      this.parts = [];
    } else this.parts.push(piece);
  }

  private *finishLine(): Generator<RecordResult> {
    this.line++;
    if (this.tooLong) {
      yield { ok: false, file: this.file, line: this.line, reason: `line longer than ${this.maxLength} characters` };
    } else {
      const row = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
      if (row.trim()) yield parseRecord(row, this.file, this.line, this.index++);
    }
    this.parts = [];
    this.length = 0;
    this.tooLong = false;
  }
}

import type { RecordResult } from './record-result';

/** Turns text chunks into records. */
export interface Splitter {
  push(chunk: string): Generator<RecordResult>;
  end(): Generator<RecordResult>;
}

/** Parses one record's text; invalid JSON becomes a bad row naming the file and line. */
export function parseRecord(text: string, file: string, line: number, index: number): RecordResult {
  try {
    const value: unknown = JSON.parse(text);
    return { ok: true, file, line, index, value };
  } catch (err) {
    return { ok: false, file, line, reason: `invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

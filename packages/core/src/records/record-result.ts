/** Layout of a record file: one JSON value per line, one top-level JSON array, or an object keyed by id. */
export type RecordFormat = 'jsonl' | 'json-array' | 'json-object';

/** A parsed record: `line` is the 1-based line where it starts, `index` its 0-based position in the file. */
export interface RecordValue {
  ok: true;
  file: string;
  line: number;
  index: number;
  value: unknown;
  /** The member name, for `json-object` files. */
  key?: string;
}

/** A row that was skipped (invalid JSON, too long, truncated); the reader goes on with the next one. */
export interface RecordBadRow {
  ok: false;
  file: string;
  line: number;
  reason: string;
}

/** One row of a record file, read or skipped. */
export type RecordResult = RecordValue | RecordBadRow;

/** Longest record (line or element, in UTF-16 code units) kept by default: 64 Mi. */
export const DEFAULT_MAX_RECORD_LENGTH = 64 * 1024 * 1024;

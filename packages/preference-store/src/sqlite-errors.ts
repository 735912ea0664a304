import { PreferenceStoreError, StoreCorruptError, StoreLockedError } from './errors';

/** SQLite result codes better-sqlite3 reports on `SqliteError.code`. */
const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_LOCKED']);
const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE']);

/** Turns a locked/corrupt SQLite failure into the package's typed error; anything else is returned unchanged. */
export function mapSqliteError(err: unknown, file: string, busyTimeoutMs: number): unknown {
  if (err instanceof PreferenceStoreError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return err;
  if (BUSY_CODES.has(code)) return new StoreLockedError(file, busyTimeoutMs, { cause: err });
  if (CORRUPT_CODES.has(code)) return new StoreCorruptError(file, (err as Error).message, { cause: err });
  return err;
}

import { PreferenceStoreError, StoreConstraintError, StoreCorruptError, StoreLockedError, StoreSqliteError } from './errors';

/** SQLite result codes better-sqlite3 reports on `SqliteError.code`. */
const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_LOCKED']);
const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE']);

/**
 * Turns an SQLite failure into the package's typed error (locked, corrupt, constraint, or the rest
 * with SQLite's code); anything that is not an SQLite error is returned unchanged.
 */
export function mapSqliteError(err: unknown, file: string, busyTimeoutMs: number): unknown {
  if (err instanceof PreferenceStoreError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (BUSY_CODES.has(code)) return new StoreLockedError(file, busyTimeoutMs, { cause: err });
  if (CORRUPT_CODES.has(code)) return new StoreCorruptError(file, message, { cause: err });
  if (code.startsWith('SQLITE_CONSTRAINT')) return new StoreConstraintError(file, code, message, { cause: err });
  return new StoreSqliteError(file, code, message, { cause: err });
}

/** Base class of every error thrown by @smart/preference-store. */
export class PreferenceStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The database stayed locked by another connection for longer than the busy timeout (SQLITE_BUSY). */
export class StoreLockedError extends PreferenceStoreError {
  constructor(
    readonly file: string,
    readonly busyTimeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(`store ${file} is locked by another process (waited ${busyTimeoutMs} ms)`, options);
  }
}

/** The file is not an SQLite database, or its pages are malformed. */
export class StoreCorruptError extends PreferenceStoreError {
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`store ${file} is corrupt: ${reason}`, options);
  }
}

/** The path exists but is no SQLite database (its first 16 bytes are not "SQLite format 3\0"). */
export class NotSqliteFileError extends StoreCorruptError {
  constructor(
    file: string,
    readonly firstBytes: string,
  ) {
    super(file, `not an SQLite database (starts with ${firstBytes})`);
  }
}

/** The store path cannot be used as a database file (a FIFO, device or directory; unreadable). */
export class StoreFileError extends PreferenceStoreError {
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`store ${file}: ${reason}`, options);
  }
}

/** A write broke one of the schema's constraints (foreign key, CHECK, UNIQUE, NOT NULL). */
export class StoreConstraintError extends PreferenceStoreError {
  constructor(
    readonly file: string,
    /** SQLite's extended code, e.g. SQLITE_CONSTRAINT_FOREIGNKEY. */
    readonly code: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`store ${file}: write refused (${code}): ${reason}`, options);
  }
}

/** Any other SQLite failure (disk full, read-only file, I/O error), with SQLite's code. */
export class StoreSqliteError extends PreferenceStoreError {
  constructor(
    readonly file: string,
    readonly code: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`store ${file}: ${code}: ${reason}`, options);
  }
}

/** A value given to the store failed validation before any write. */
export class InvalidRecordError extends PreferenceStoreError {
  constructor(
    readonly what: string,
    readonly key: string,
    readonly reason: string,
  ) {
    super(`invalid ${what} ${key}: ${reason}`);
  }
}

/** A sample would change while rationales or pairs already stored were made from its current content. */
export class SampleInUseError extends PreferenceStoreError {
  constructor(
    readonly sampleId: string,
    readonly generations: number,
    readonly pairs: number,
    readonly changed: string[],
  ) {
    super(`sample ${sampleId} cannot be rewritten (${changed.join(', ')} changed): ${generations} rationale(s) and ${pairs} pair(s) were made from it`);
  }
}

/** The file was written by a newer version of this package (PRAGMA user_version above what the code knows). */
export class SchemaTooNewError extends PreferenceStoreError {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(`store ${file} has schema version ${found}; this code knows up to ${supported} (upgrade @smart/preference-store)`);
  }
}

/** A sample was assigned to an iteration while it already belongs to another one (iterations must be disjoint). */
export class IterationOverlapError extends PreferenceStoreError {
  constructor(
    readonly sampleId: string,
    readonly iteration: number,
    readonly existingIteration: number,
  ) {
    super(`sample ${sampleId} cannot join iteration ${iteration}: it already belongs to iteration ${existingIteration}`);
  }
}

/** A write referenced something the store does not hold (unknown sample, sample outside the iteration, missing rationale). */
export class MissingRecordError extends PreferenceStoreError {
  constructor(
    readonly what: string,
    readonly key: string,
  ) {
    super(`${what} not found: ${key}`);
  }
}

/** One row of an imported file failed validation. */
export class ImportRowError extends PreferenceStoreError {
  constructor(
    readonly file: string,
    /** 1-based row (JSONL line, JSON array element, Parquet row). */
    readonly row: number,
    readonly reason: string,
  ) {
    super(`${file} row ${row}: ${reason}`);
  }
}

/** A whole import file could not be read (not JSON, not Parquet, wrong top-level shape). */
export class ImportFileError extends PreferenceStoreError {
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${reason}`, options);
  }
}

/** An image of an imported row is unusable (not an image, neither bytes nor path, file missing); the row is skipped. */
export class ImportImageError extends ImportRowError {
  constructor(
    file: string,
    row: number,
    /** 0-based position in the row's images. */
    readonly image: number,
    reason: string,
  ) {
    super(file, row, reason);
  }
}

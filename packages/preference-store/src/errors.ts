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

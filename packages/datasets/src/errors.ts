/** Base class of every error thrown by @smart/datasets. */
export class DatasetsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A source file could not be opened or read; the only failure that aborts a whole load. */
export class SourceReadError extends DatasetsError {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`cannot read dataset source ${file}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** A draw asked for more samples than the pool has left. */
export class DrawExhaustedError extends DatasetsError {
  constructor(
    readonly requested: number,
    readonly available: number,
    readonly iteration?: number,
  ) {
    super(
      `cannot draw ${requested} samples${iteration === undefined ? '' : ` for iteration ${iteration}`}: only ${available} unused samples remain`,
    );
  }
}

/** Synthetic-task options that cannot produce valid items (e.g. fewer colours than options). */
export class SyntheticConfigError extends DatasetsError {
  constructor(
    readonly option: string,
    readonly detail: string,
  ) {
    super(`invalid synthetic task option ${option}: ${detail}`);
  }
}

/** The synthetic generator could not find enough distinct items (the knobs leave too few possible scenes). */
export class SyntheticExhaustedError extends DatasetsError {
  constructor(
    readonly split: string,
    readonly wanted: number,
    readonly produced: number,
  ) {
    super(`synthetic ${split} split: produced only ${produced} distinct items of ${wanted} requested; widen the knobs or ask for fewer`);
  }
}

/** A row of a file that must be entirely valid (e.g. a rationale sidecar) is not. */
export class DatasetRowError extends DatasetsError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

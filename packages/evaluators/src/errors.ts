/** Base class of every error thrown by @smart/evaluators. */
export class EvaluatorsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A benchmark file could not be read or parsed as a whole (missing file, not JSON). */
export class BenchmarkFileError extends EvaluatorsError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** One record of a benchmark file failed validation; loaders collect these and skip the row. */
export class BenchmarkRecordError extends EvaluatorsError {
  constructor(
    readonly file: string,
    /** 1-based line for JSONL, 0-based index or object key for JSON. */
    readonly row: number | string,
    readonly reason: string,
    readonly recordId?: string,
  ) {
    super(`${file} row ${row}${recordId === undefined ? '' : ` (id ${recordId})`}: ${reason}`);
  }
}

/** A record whose id an earlier row of the same file already had; the first one is kept, this one skipped. */
export class DuplicateRecordError extends BenchmarkRecordError {
  constructor(
    file: string,
    row: number | string,
    recordId: string,
    readonly firstRow: number | string,
  ) {
    super(file, row, `duplicate id ${recordId} (first at row ${firstRow}; the first is kept)`, recordId);
  }
}

/** A judge call failed after the backend's retries (HTTP error, timeout, malformed response, generation error). */
export class JudgeError extends EvaluatorsError {
  constructor(
    readonly model: string,
    readonly attempts: number,
    readonly reason: string,
    /** HTTP status of the last attempt, when there was one. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`judge ${model} failed after ${attempts} attempt(s): ${reason}`, options);
  }
}

/** A judge cache entry does not decode to the completions its key asks for (a corrupt or foreign entry). */
export class JudgeCacheError extends EvaluatorsError {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`judge cache entry ${key}: ${reason}`);
  }
}

/** A judge answered, but not in a form the benchmark's parser accepts (after its own retries). */
export class JudgeParseError extends EvaluatorsError {
  constructor(
    readonly model: string,
    readonly content: string,
    readonly reason: string,
  ) {
    super(`judge ${model} answer could not be parsed (${reason}): ${JSON.stringify(content.slice(0, 200))}`);
  }
}

/** Python semantics port: the Python call would raise (e.g. `float("")`). */
export class PythonValueError extends EvaluatorsError {
  constructor(
    readonly fn: string,
    readonly input: string,
  ) {
    super(`${fn}(${JSON.stringify(input)}) raises ValueError`);
  }
}

/** The code sandbox itself could not start (python3 missing, temp dir not writable). */
export class SandboxError extends EvaluatorsError {
  constructor(readonly reason: string) {
    super(`sandbox: ${reason}`);
  }
}

/**
 * No sandbox can be set up for model-written code (bubblewrap missing, user namespaces disabled,
 * python3/numpy not usable inside). `hint` says how to install one, or how to opt out explicitly.
 */
export class SandboxUnavailableError extends SandboxError {
  constructor(
    reason: string,
    readonly hint: string,
  ) {
    super(`${reason}. ${hint}`);
  }
}

/** MMCode test data or a sandboxed program's result stream is malformed (bad JSON, unknown value tag). */
export class MMCodeDataError extends EvaluatorsError {
  constructor(readonly reason: string) {
    super(`mmcode: ${reason}`);
  }
}

/** Generation results do not line up with the benchmark items they should answer. */
export class ResponseMismatchError extends EvaluatorsError {
  constructor(
    readonly benchmark: string,
    readonly reason: string,
  ) {
    super(`${benchmark}: ${reason}`);
  }
}

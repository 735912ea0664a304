/** Base class of every error thrown by @smart/core. */
export class CoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A seed that cannot start a stream (not a safe integer, or an empty string). */
export class RngSeedError extends CoreError {
  constructor(readonly seed: unknown) {
    super(`RNG seed must be a safe integer or a non-empty string, got ${String(seed)}`);
  }
}

/** A saved RNG state that does not belong to this generator or is malformed. */
export class RngStateError extends CoreError {
  constructor(
    readonly state: unknown,
    readonly reason: string,
  ) {
    super(`cannot restore RNG state: ${reason}`);
  }
}

/** An argument outside its domain (e.g. `int(0)`, `choice([])`). */
export class RngArgumentError extends CoreError {
  constructor(
    readonly argument: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`${argument} ${reason} (got ${String(value)})`);
  }
}

/** An image whose header declares more pixels than allowed; raised before any decoding. */
export class ImageTooLargeError extends CoreError {
  constructor(
    readonly path: string,
    readonly width: number,
    readonly height: number,
    readonly maxPixels: number,
  ) {
    super(`${path}: image is ${width}×${height} = ${width * height} pixels, more than the limit of ${maxPixels}`);
  }
}

/** A record file that cannot be read at all (missing, unreadable, not a regular file, broken gzip). */
export class RecordFileError extends CoreError {
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${reason}`, options);
  }
}

/** A path that is not a regular file (FIFO, device, directory): reading it could block or never end. */
export class NotRegularFileError extends RecordFileError {
  constructor(
    file: string,
    readonly kind: string,
  ) {
    super(file, `not a regular file (${kind})`);
  }
}

/** A file bigger than the reader's bound; refused before it is read into memory. */
export class FileTooLargeError extends RecordFileError {
  constructor(
    file: string,
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super(file, `file of ${size} bytes is larger than the limit of ${maxBytes}`);
  }
}

/** An atomic write that failed; the destination keeps its previous content. */
export class AtomicWriteError extends CoreError {
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot write ${path}: ${reason}`, options);
  }
}

/** Base class of every error thrown by @smart/augment. */
export class AugmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An augmentation parameter is out of range (noise step outside [0, T), probability outside [0, 1]...). */
export class AugmentConfigError extends AugmentError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`invalid augmentation setting ${field}=${JSON.stringify(value)}: ${reason}`);
  }
}

/** An image or tensor does not have the shape its description claims (data length ≠ width·height·channels). */
export class ImageShapeError extends AugmentError {
  constructor(
    readonly expectedLength: number,
    readonly actualLength: number,
    what: string,
  ) {
    super(`${what}: data has ${actualLength} values, expected ${expectedLength}`);
  }
}

/** Why a file could not be decoded. */
export type ImageDecodeReason = 'empty' | 'truncated' | 'corrupt' | 'unsupported' | 'unreadable';

/** An image file could not be turned into pixels. `path` names the file (or the label the caller gave the bytes). */
export class ImageDecodeError extends AugmentError {
  constructor(
    readonly path: string,
    readonly reason: ImageDecodeReason,
    readonly detail: string,
  ) {
    super(`cannot decode image ${path}: ${reason}${detail ? ` (${detail})` : ''}`);
  }
}

/** The file has zero bytes. */
export class EmptyImageError extends ImageDecodeError {
  constructor(path: string) {
    super(path, 'empty', 'file is empty');
  }
}

/** The file ends before the image data does (partial download, interrupted copy). */
export class TruncatedImageError extends ImageDecodeError {
  constructor(path: string, detail: string) {
    super(path, 'truncated', detail);
  }
}

/** The file has a known format's signature but its contents are damaged. */
export class CorruptImageError extends ImageDecodeError {
  constructor(path: string, detail: string) {
    super(path, 'corrupt', detail);
  }
}

/** The bytes are not in a format this package decodes (or writes). */
export class UnsupportedImageFormatError extends ImageDecodeError {
  constructor(path: string, detail: string) {
    super(path, 'unsupported', detail);
  }
}

/** The file could not be read at all (missing, permission denied...). */
export class ImageReadError extends ImageDecodeError {
  constructor(path: string, detail: string) {
    super(path, 'unreadable', detail);
  }
}

/** Pixels could not be encoded or written. */
export class ImageEncodeError extends AugmentError {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`cannot encode image ${path}: ${detail}`);
  }
}

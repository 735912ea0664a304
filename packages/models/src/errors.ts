/** Base class of every error thrown by @smart/models. */
export class ModelsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A config.json is missing, unreadable, or fails validation; `path` points into the JSON. */
export class ConfigError extends ModelsError {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${file}: ${path ? `${path}: ` : ''}${reason}`);
  }
}

/** The config asks for a RoPE scaling kind the decoder does not implement (dynamic, yarn, longrope, ...). */
export class UnsupportedRopeScalingError extends ConfigError {
  constructor(
    file: string,
    path: string,
    readonly ropeType: string,
  ) {
    super(file, path, `RoPE scaling "${ropeType}" is not implemented (implemented: unscaled, linear, llama3); refusing rather than computing wrong logits`);
  }
}

/** The config names an architecture this package does not implement. */
export class UnsupportedModelTypeError extends ModelsError {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly modelType: string,
    readonly supported: readonly string[],
  ) {
    super(`${file}: ${field} "${modelType}" is not supported (supported: ${supported.join(', ')})`);
  }
}

/** A graph asked for a weight that the given tensors do not hold. */
export class MissingWeightError extends ModelsError {
  constructor(readonly tensor: string) {
    super(`weight '${tensor}' is missing`);
  }
}

/** A tensor the architecture needs is absent from the checkpoint. */
export class MissingTensorError extends ModelsError {
  constructor(
    readonly folder: string,
    readonly tensor: string,
  ) {
    super(`${folder}: tensor '${tensor}' is missing`);
  }
}

/** Two checkpoint tensors map to the same canonical name (e.g. both the classic and the `model.*` layout are present). */
export class DuplicateTensorError extends ModelsError {
  constructor(
    readonly folder: string,
    readonly tensor: string,
    readonly first: string,
    readonly second: string,
  ) {
    super(`${folder}: tensors '${first}' and '${second}' are both '${tensor}'; keep one layout`);
  }
}

/** A checkpoint tensor has the wrong shape for the config. */
export class TensorShapeError extends ModelsError {
  constructor(
    readonly folder: string,
    readonly tensor: string,
    readonly expected: number[],
    readonly actual: number[],
  ) {
    super(`${folder}: tensor '${tensor}' has shape [${actual}], expected [${expected}]`);
  }
}

/** A tokenizer, chat-template, generation or processor file of a model folder is unreadable or malformed. */
export class ModelFileError extends ModelsError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** A file an operation needs (e.g. `tokenizer.json` for an inference export) is absent from the model files. */
export class MissingModelFileError extends ModelsError {
  constructor(
    readonly folder: string,
    readonly file: string,
    readonly purpose: string,
  ) {
    super(`${folder}: '${file}' is missing (needed for ${purpose})`);
  }
}

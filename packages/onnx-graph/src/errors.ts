/** Base class of every error thrown by @smart/onnx-graph. */
export class OnnxGraphError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Shape inference failed for a node (incompatible or unsupported shapes). */
export class ShapeError extends OnnxGraphError {
  constructor(
    readonly node: string,
    readonly opType: string,
    readonly reason: string,
  ) {
    super(`${opType} node '${node}': ${reason}`);
  }
}

/** A node received an input of the wrong element type. */
export class DTypeError extends OnnxGraphError {
  constructor(
    readonly node: string,
    readonly opType: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${opType} node '${node}': expected dtype ${expected}, got ${actual}`);
  }
}

/** Building a graph went wrong outside any one node (duplicate names, foreign values, bad outputs). */
export class GraphBuildError extends OnnxGraphError {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Reverse-mode differentiation cannot pass through a node. */
export class GradientError extends OnnxGraphError {
  constructor(
    readonly node: string,
    readonly opType: string,
    readonly reason: string,
  ) {
    super(`cannot differentiate ${opType} node '${node}': ${reason}`);
  }
}

/** A safetensors file or sharded folder is malformed, unreadable or cannot be written; `tensor` when one entry is at fault. */
export class SafetensorsError extends OnnxGraphError {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly tensor?: string,
    options?: { cause?: unknown },
  ) {
    super(`safetensors '${path}': ${reason}`, options);
  }
}

/** An ONNX model could not be encoded or decoded. */
export class SerializationError extends OnnxGraphError {
  constructor(readonly reason: string) {
    super(reason);
  }
}

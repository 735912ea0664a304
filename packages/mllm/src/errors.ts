/** Base class of every error thrown by @smart/mllm. */
export class MllmError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A generation request failed validation before any work was done. */
export class InvalidRequestError extends MllmError {
  constructor(
    readonly requestId: string,
    readonly reason: string,
  ) {
    super(`invalid generation request ${JSON.stringify(requestId)}: ${reason}`);
  }
}

/** A valid request this generator cannot serve as asked: more images than it takes (its processor's limit). */
export class UnsupportedRequestError extends InvalidRequestError {
  constructor(
    requestId: string,
    readonly images: number,
    readonly maxImages: number,
    detail: string,
  ) {
    super(requestId, `${images} image(s): ${detail}`);
  }
}

/** A local model folder could not be loaded (missing files, bad config, not an absolute path). */
export class ModelLoadError extends MllmError {
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot load model folder ${path}: ${reason}`, options);
  }
}

/** The requested execution device is not usable here (e.g. CUDA EP libraries not installed). */
export class DeviceUnavailableError extends MllmError {
  constructor(
    readonly device: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`device ${device} is unavailable: ${reason}`, options);
  }
}

/** The folder's chat template or processor produced a prompt the model cannot use. */
export class PromptFormatError extends MllmError {
  constructor(
    readonly requestId: string,
    readonly reason: string,
  ) {
    super(`cannot format request ${JSON.stringify(requestId)}: ${reason}`);
  }
}

/** An HTTP generation call failed for good (after retries, or with a non-retryable status). */
export class HttpGenerationError extends MllmError {
  constructor(
    readonly requestId: string,
    readonly reason: string,
    /** HTTP status, or undefined for network errors and timeouts. */
    readonly status: number | undefined,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`request ${JSON.stringify(requestId)} failed after ${attempts} attempt(s): ${reason}`, options);
  }
}

/** A server answered 2xx with a body that is not a valid chat completion. */
export class ResponseValidationError extends MllmError {
  constructor(
    readonly requestId: string,
    readonly reason: string,
  ) {
    super(`invalid chat completion for request ${JSON.stringify(requestId)}: ${reason}`);
  }
}

/** Generation was cancelled through an AbortSignal. */
export class GenerationAbortedError extends MllmError {
  constructor(readonly reason?: unknown) {
    super('generation aborted');
  }
}

/** A chat-completions request `serve` cannot honour; answered with 400 and this message. */
export class UnsupportedChatRequestError extends MllmError {
  constructor(
    message: string,
    /** The offending body field (OpenAI's `param`), or null. */
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

/** An HTTP request body was larger than allowed; `serve` answers 413. */
export class BodyTooLargeError extends MllmError {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

/** `serve`'s queue is full; answered with 429. */
export class QueueFullError extends MllmError {
  constructor(readonly limit: number) {
    super(`server queue is full (${limit} requests waiting); retry later`);
  }
}

/** A request asks for more than `serve` allows (max_tokens, prompt length, image pixels); answered with 400. */
export class LimitExceededError extends UnsupportedChatRequestError {
  constructor(
    /** The body field over its limit. */
    param: string,
    readonly limit: number,
    readonly actual: number,
    what: string,
  ) {
    super(`${what} is ${actual}, more than this server allows (${limit})`, param);
  }
}

/** A request ran past `serve`'s per-request timeout; answered with 504 and its work cancelled. */
export class RequestTimeoutError extends MllmError {
  constructor(readonly timeoutMs: number) {
    super(`request did not finish within ${timeoutMs} ms`);
  }
}

/** The client closed its connection before the answer; its work is cancelled. */
export class ClientDisconnectedError extends MllmError {
  constructor() {
    super('client disconnected');
  }
}

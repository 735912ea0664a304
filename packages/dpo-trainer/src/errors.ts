/** Base class of every error thrown by @smart/dpo-trainer. */
export class DpoTrainerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The requested ONNX Runtime execution provider cannot run here (its libraries are missing). */
export class ExecutionProviderUnavailableError extends DpoTrainerError {
  constructor(
    readonly provider: string,
    readonly reason: string,
  ) {
    super(`execution provider '${provider}' is unavailable: ${reason.replace(/[.\s]+$/, '')}. ${EP_HINTS[provider] ?? ''}`.trim());
  }
}

const EP_HINTS: Record<string, string> = {
  cuda: 'To enable it: onnxruntime-node downloads its CUDA libraries at install time; run `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` on a machine with CUDA 12 and cuDNN 9, or use executionProvider "cpu".',
  webgpu: 'To enable it: the WebGPU provider needs a Vulkan (Linux), Metal (macOS) or D3D12 (Windows) GPU driver; install one or use executionProvider "cpu".',
};

/** A batch does not fit the engine (wrong objective, sizes that disagree, missing images or reference log-probs). */
export class BatchShapeError extends DpoTrainerError {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`batch field '${field}': ${reason}`);
  }
}

/** An engine state to restore does not match the engine's trainable tensors. */
export class EngineStateError extends DpoTrainerError {
  constructor(
    readonly tensor: string,
    readonly reason: string,
  ) {
    super(`engine state tensor '${tensor}': ${reason}`);
  }
}

/** A trainer config (file or flags) that fails validation; `issues` name each bad field. */
export class TrainerConfigError extends DpoTrainerError {
  constructor(
    readonly kind: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`invalid ${kind} config: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
  }
}

/** A training example that cannot be turned into rows (prompts that disagree, nothing left to learn). */
export class ExampleEncodingError extends DpoTrainerError {
  constructor(
    readonly sampleId: string,
    readonly reason: string,
  ) {
    super(`example '${sampleId}': ${reason}`);
  }
}

/** Truncation to max_length / max_prompt_length would cut image tokens; raise the limits or shorten the prompt. */
export class ImageTokensTruncatedError extends ExampleEncodingError {
  constructor(
    sampleId: string,
    readonly imageTokens: number,
    readonly kept: number,
    readonly limits: { maxLength: number | null; maxPromptLength: number | null },
  ) {
    super(
      sampleId,
      `truncation to max_length ${limits.maxLength} / max_prompt_length ${limits.maxPromptLength} would keep ${kept} of its ${imageTokens} image tokens; image tokens are never cut — raise the limits`,
    );
  }
}

/** A loss hyper-parameter is outside the range its formula allows. */
export class LossConfigError extends DpoTrainerError {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`loss option '${field}': ${reason}`);
  }
}

/** A resume state (or reference log-probs file) that cannot be read, or that belongs to a different run. */
export class ResumeStateError extends DpoTrainerError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** A model folder the trainer reads (tokenizer, generation config) is incomplete or malformed. */
export class ModelFolderError extends DpoTrainerError {
  constructor(
    readonly folder: string,
    readonly reason: string,
  ) {
    super(`${folder}: ${reason}`);
  }
}

/** An error raised inside the training worker, re-raised on the calling thread with its class name and fields. */
export class TrainingWorkerError extends DpoTrainerError {
  constructor(
    readonly errorName: string,
    readonly reason: string,
    readonly fields: Record<string, unknown>,
  ) {
    super(`${errorName} in the training worker: ${reason}`);
  }
}

/** An engine method was called out of order (an update with no accumulated gradient, a call after close). */
export class EngineUsageError extends DpoTrainerError {
  constructor(
    readonly method: string,
    readonly reason: string,
  ) {
    super(`${method}: ${reason}`);
  }
}

/** A PEFT adapter folder cannot be read as this trainer's LoRA (missing or malformed file, or a PEFT feature it does not implement). */
export class PeftAdapterError extends DpoTrainerError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

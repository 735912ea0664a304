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
    super(`execution provider '${provider}' is unavailable: ${reason}. ${EP_HINTS[provider] ?? ''}`.trim());
  }
}

const EP_HINTS: Record<string, string> = {
  cuda: 'onnxruntime-node downloads its CUDA libraries at install time: run `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` on a machine with CUDA 12 and cuDNN 9, or use executionProvider "cpu".',
  webgpu: 'the WebGPU provider needs a Vulkan (Linux), Metal (macOS) or D3D12 (Windows) GPU driver; install one or use executionProvider "cpu".',
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

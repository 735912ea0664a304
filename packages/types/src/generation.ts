import type { SamplingParams } from './rationale';
import type { FinishReason, GenerationSample } from './generation-sample';

/** An image handed to a generator: a file path, decoded RGB pixels, or the model's own input tensor (CHW image or Qwen2-VL patches). */
export type ImageInput =
  | { kind: 'path'; path: string }
  | { kind: 'rgb'; width: number; height: number; /** HWC, 8-bit */ data: Uint8Array }
  | { kind: 'tensor'; /** CHW float, already normalized for the model */ data: Float32Array; shape: [number, number, number]; gridThw?: undefined }
  | {
      kind: 'tensor';
      /** Qwen2-VL flattened patches [num_patches, C·T·p·p], already normalized (the image processor's pixel_values) */
      data: Float32Array;
      shape: [number, number];
      /** The image's image_grid_thw row [t, h, w] in patches: t·h·w = num_patches. */
      gridThw: [number, number, number];
    };

/** One generation request: a user message with optional image(s), and sampling settings. */
export interface GenerationRequest {
  /** Caller's id, echoed in the result (e.g. `<sampleId>:positive`). */
  id: string;
  prompt: string;
  image?: ImageInput;
  /**
   * Several images, in order, for prompts that show more than one (MMCode problems); set this or
   * `image`, not both. A generator that takes fewer rejects the request with a typed error.
   */
  images?: ImageInput[];
  /** Optional system message. */
  system?: string;
  sampling: SamplingParams;
  /** Number of completions to draw for this prompt (default 1); see `GenerationResult.samples`. */
  n?: number;
}

/** The result of one generation request. */
export interface GenerationResult {
  id: string;
  text: string;
  finishReason: FinishReason;
  promptTokens: number;
  completionTokens: number;
  /** Wall time spent on this request, milliseconds. */
  latencyMs: number;
  /** Present when finishReason is `error`. */
  error?: string;
  /** All completions when the request asked for `n` > 1: `text`/`finishReason` repeat the first, `completionTokens` is their total. */
  samples?: GenerationSample[];
  /** Seed the backend actually used (drawn when the request had none), so a sampled run can be replayed. */
  seed?: number;
}

/** Progress callback for long generation jobs. */
export type GenerationProgress = (done: number, total: number) => void;

/**
 * A generation backend: local transformers.js folders, an OpenAI-compatible server, ...
 * Implementations must return one result per request, in request order.
 */
export interface Generator {
  /** Identifier recorded with every rationale (model folder or served name). */
  readonly modelId: string;
  generate(
    requests: GenerationRequest[],
    options?: {
      signal?: AbortSignal;
      onProgress?: GenerationProgress;
      /** Called as tokens are generated, with the count of new tokens (for tokens/s displays). */
      onTokens?: (newTokens: number) => void;
    },
  ): Promise<GenerationResult[]>;
  /** Releases sessions, sockets and workers. */
  close(): Promise<void>;
}

import type { ImageInput } from './generation';

/** A chat turn to encode: the user prompt (with its optional image) and, for training rows, the assistant completion. */
export interface PromptEncoderInput {
  /** Caller's id, named in errors (e.g. `<sampleId>:chosen`). */
  id: string;
  prompt: string;
  image?: ImageInput;
  system?: string;
  /** Assistant text to append after the generation prompt; absent when encoding for generation. */
  completion?: string;
}

/** Pixel tensor exactly as the model's vision encoder receives it (already resized and normalized). */
export interface EncodedPixels {
  data: Float32Array;
  /** e.g. [1, 3, H, W] for LLaVA; [num_patches, C·T·p·p] flattened patches for Qwen2-VL. */
  shape: number[];
  /** Qwen2-VL: the image's `image_grid_thw` row [t, h, w] in patches (its positions and token count depend on it). */
  gridThw?: [number, number, number];
}

/** Model inputs for one chat turn, token-for-token what generation feeds the model. */
export interface EncodedChat {
  /** Prompt (chat template + generation prompt, image tokens expanded) followed by the completion span, if any. */
  inputIds: number[];
  /** Number of prompt tokens: the completion occupies `inputIds[promptLength .. completionEnd)`. */
  promptLength: number;
  /**
   * End (exclusive) of the completion span; equals `promptLength` without a completion. The span holds the
   * completion's tokens and then the template's end-of-turn tokens through the EOS generation stops on, so
   * a trainer that scores the span teaches the model to stop (TRL's DPO appends EOS to chosen/rejected too).
   */
  completionEnd: number;
  /** Number of image tokens in `inputIds` (truncation must never cut them). */
  imageTokenCount: number;
  pixelValues?: EncodedPixels;
}

/**
 * Turns messages + image into model inputs. Generation and training share one implementation, so the
 * trained token sequence is exactly the generated one.
 */
export interface PromptEncoder {
  encode(input: PromptEncoderInput): Promise<EncodedChat>;
}

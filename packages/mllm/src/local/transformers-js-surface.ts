/**
 * The narrow slice of @huggingface/transformers 4.3.1 this package uses, typed structurally so the
 * library is loaded lazily (`import()`) and its large declaration files stay out of our typecheck.
 */

/** A library Tensor: row-major data with dims. */
export interface TjsTensor {
  readonly type: string;
  readonly dims: number[];
  readonly data: ArrayLike<number | bigint> & { length: number };
  tolist(): unknown[];
  [index: number]: TjsTensor;
  /** The onnxruntime tensor underneath, what a session's `run` takes. */
  readonly ort_tensor: unknown;
}

/** What a session's `run` returns per output: onnxruntime tensors with CPU data. */
export interface OrtOutput {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: ArrayLike<number | bigint> & { length: number };
}

/** An onnxruntime InferenceSession of a loaded model (declared input shapes in `inputMetadata`). */
export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly { name: string; shape?: readonly (number | string)[] }[];
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtOutput>>;
}

/** A loaded image-text-to-text model. */
export interface TjsModel {
  config: Record<string, unknown>;
  generation_config: Record<string, unknown> | null;
  /** The folder's ONNX sessions by name (embed_tokens, vision_encoder, decoder_model_merged). */
  sessions: Record<string, OrtSession>;
  dispose(): Promise<unknown>;
}

/** The tokenizer of a processor. */
export interface TjsTokenizer {
  pad_token_id?: number | null;
  eos_token_id?: number | null;
  (text: string, options?: Record<string, unknown>): { input_ids: TjsTensor; attention_mask: TjsTensor };
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  /** Id of one vocabulary entry (added tokens included); undefined/null when absent. */
  convert_tokens_to_ids(token: string): number | null | undefined;
  decode(ids: number[], options?: { skip_special_tokens?: boolean }): string;
}

/** A chat message in the shape chat templates expect. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | ({ type: 'image' } | { type: 'text'; text: string })[];
}

/** A loaded multimodal processor (tokenizer + image processor + chat template). */
export interface TjsProcessor {
  tokenizer: TjsTokenizer;
  config: Record<string, unknown>;
  apply_chat_template(messages: ChatMessage[], options?: Record<string, unknown>): string;
  (images: unknown, text: string, options?: Record<string, unknown>): Promise<Record<string, TjsTensor>>;
}

/** What we use from the library's module namespace. */
export interface TjsLibrary {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; useFSCache: boolean };
  AutoProcessor: { from_pretrained(path: string, options?: Record<string, unknown>): Promise<TjsProcessor> };
  AutoModelForImageTextToText: { from_pretrained(path: string, options?: Record<string, unknown>): Promise<TjsModel> };
  Tensor: new (type: string, data: ArrayLike<number | bigint>, dims: number[]) => TjsTensor;
  RawImage: {
    new (data: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: number): unknown;
    read(path: string): Promise<unknown>;
  };
}

/** Loads the library lazily, so code paths that never touch a local model never load onnxruntime. */
export async function loadTransformersJs(): Promise<TjsLibrary> {
  return (await import('@huggingface/transformers')) as unknown as TjsLibrary;
}

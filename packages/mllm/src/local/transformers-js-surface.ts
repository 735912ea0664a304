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
}

/** The DynamicCache the library threads through generation. */
export interface TjsCache {
  get_seq_length(): number;
}

/** Inputs of one forward call during generation. */
export type TjsForwardInputs = Record<string, unknown> & {
  input_ids?: TjsTensor;
  inputs_embeds?: TjsTensor;
  attention_mask?: TjsTensor;
  pixel_values?: TjsTensor;
  past_key_values?: TjsCache | null;
};

/** A loaded image-text-to-text model. */
export interface TjsModel {
  config: Record<string, unknown>;
  generation_config: Record<string, unknown> | null;
  forward(inputs: TjsForwardInputs): Promise<Record<string, TjsTensor>>;
  encode_text(inputs: { input_ids: TjsTensor }): Promise<TjsTensor>;
  generate(params: Record<string, unknown>): Promise<TjsTensor>;
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

/** Constructor shape of the library's LogitsProcessor / BaseStreamer (Callable subclasses). */
export type TjsClass<T> = new () => T;

/** What we use from the library's module namespace. */
export interface TjsLibrary {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; useFSCache: boolean };
  AutoProcessor: { from_pretrained(path: string, options?: Record<string, unknown>): Promise<TjsProcessor> };
  AutoModelForImageTextToText: { from_pretrained(path: string, options?: Record<string, unknown>): Promise<TjsModel> };
  Tensor: new (type: string, data: ArrayLike<number | bigint>, dims: number[]) => TjsTensor;
  cat(tensors: TjsTensor[], dim: number): TjsTensor;
  RawImage: {
    new (data: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: number): unknown;
    read(path: string): Promise<unknown>;
  };
  LogitsProcessor: TjsClass<object>;
  BaseStreamer: TjsClass<object>;
  random: { Random: new (seed: number) => { random(): number } };
}

/** Loads the library lazily, so code paths that never touch a local model never load onnxruntime. */
export async function loadTransformersJs(): Promise<TjsLibrary> {
  return (await import('@huggingface/transformers')) as unknown as TjsLibrary;
}

import { join } from 'node:path';
import { checkImageBytes, DEFAULT_MAX_IMAGE_PIXELS, ImageTooLargeError, isMissingFileError, readRegularFile } from '@smart/core';
import type { EncodedChat, EncodedPixels, PromptEncoder, PromptEncoderInput } from '@smart/types';
import { z } from 'zod';
import { InvalidRequestError, ModelLoadError, PromptFormatError } from '../errors';
import { chatMessages, type MessageContentFormat } from './chat-prompt';
import { collectEosIds } from './eos-token-ids';
import { loadProcessor } from './load-processor';
import { loadTransformersJs, type ChatMessage, type TjsLibrary, type TjsProcessor, type TjsTensor } from './transformers-js-surface';

/** Options of {@link createPromptEncoder}. */
export interface PromptEncoderOptions {
  /** How chat messages are given to the template; must match the generator's. Default `parts`. */
  messageContent?: MessageContentFormat;
  /** Token ids that end a turn. Default: read from the folder (generation_config.json, config.json) and the tokenizer. */
  eosTokenIds?: Iterable<number>;
  /** The library module; default is a lazy import of @huggingface/transformers. */
  library?: TjsLibrary;
  /** Largest image file (width × height from its header, checked before decoding). Default 89 478 485 (PIL's). */
  maxImagePixels?: number;
}

/**
 * The transformers.js PromptEncoder: the folder's chat template and processor turn a chat turn into
 * the exact token ids and pixel tensor the local generator feeds the model.
 *
 * A completion (training rows) is tokenized on its own and appended to the prompt tokens, then the
 * template's end of the assistant turn up to and including its first EOS. Why separately: generation
 * produced the completion tokens after the prompt tokens, so `prompt ++ encode(completion)` is the
 * generated sequence, while tokenizing prompt + completion as one string can merge across the
 * boundary (e.g. a completion starting with a newline after the template's `assistant\n`). Why the EOS
 * is inside the completion span: the model must learn to stop. TRL's DPO tokenization does the same
 * (`chosen_input_ids + [eos_token_id]`); unlike TRL we take the end-of-turn tokens from the template
 * (ChatML: `<|im_end|>`) and drop the template text after that EOS (ChatML's trailing newline), which
 * generation never produces, so the row ends exactly where generation stopped. A template that renders
 * no EOS after the assistant text gets the tokenizer's EOS appended, as TRL does.
 */
export class TransformersJsPromptEncoder implements PromptEncoder {
  /** Ids that end a turn, as the generator stops on them. */
  readonly eosTokenIds: ReadonlySet<number>;
  private readonly imageToken: string;
  private readonly imageTokenId: number | undefined;

  constructor(
    private readonly lib: Pick<TjsLibrary, 'RawImage'>,
    private readonly processor: TjsProcessor,
    eosTokenIds: Iterable<number>,
    private readonly format: MessageContentFormat = 'parts',
    private readonly maxImagePixels: number = DEFAULT_MAX_IMAGE_PIXELS,
  ) {
    this.eosTokenIds = new Set(eosTokenIds);
    if (this.eosTokenIds.size === 0) throw new RangeError('a PromptEncoder needs at least one EOS token id');
    // Qwen2VLProcessor names its token on the class (`<|image_pad|>`), LLaVA processors in processor_config.json.
    const classToken = (processor.constructor as { image_token?: unknown } | undefined)?.image_token;
    this.imageToken = typeof processor.config?.image_token === 'string' ? processor.config.image_token : typeof classToken === 'string' ? classToken : '<image>';
    this.imageTokenId = processor.tokenizer.convert_tokens_to_ids(this.imageToken) ?? undefined;
  }

  /** Encodes one chat turn: prompt with the generation prompt and expanded image tokens, then the optional completion. */
  async encode(input: PromptEncoderInput): Promise<EncodedChat> {
    const messages = chatMessages(input, this.format, this.imageToken);
    const text = this.render(input.id, messages, true);
    const { ids: promptIds, pixelValues } = await this.encodePrompt(input, text);
    const inputIds = [...promptIds];
    if (input.completion !== undefined) inputIds.push(...this.completionIds(input, messages, text));
    const imageTokenCount = this.imageTokenId === undefined ? 0 : promptIds.reduce((n, id) => n + (id === this.imageTokenId ? 1 : 0), 0);
    return { inputIds, promptLength: promptIds.length, completionEnd: inputIds.length, imageTokenCount, ...(pixelValues ? { pixelValues } : {}) };
  }

  /** Prompt tokens (the template writes BOS and other specials itself, so tokenization adds none) and pixels. */
  private async encodePrompt(input: PromptEncoderInput, text: string): Promise<{ ids: number[]; pixelValues?: EncodedPixels }> {
    const tokenizeOptions = { add_special_tokens: false };
    const { image } = input;
    if (!image) return { ids: this.processor.tokenizer.encode(text, tokenizeOptions) };
    const imageToken = this.imageToken;
    if (!text.includes(imageToken)) throw new PromptFormatError(input.id, `the chat template dropped the image token ${imageToken}`);

    if (image.kind === 'tensor' && image.gridThw !== undefined) {
      // Pre-normalized patches (e.g. noised negatives) skip the image processor; the grid fixes the token count.
      const merge = Number(this.imageProcessor()?.config?.['merge_size']);
      if (!Number.isInteger(merge) || merge < 1) throw new PromptFormatError(input.id, 'patch tensor images need an image processor with merge_size (Qwen2-VL)');
      const gridThw: [number, number, number] = [...image.gridThw];
      return { ids: this.expandPatchTokens(text, gridThw, merge), pixelValues: { data: image.data, shape: [...image.shape], gridThw } };
    }
    if (image.kind === 'tensor') {
      // Pre-normalized pixels skip the image processor; expand the image token as the LLaVA processor does.
      const patch = Number(this.processor.config?.patch_size);
      const extra = Number(this.processor.config?.num_additional_image_tokens ?? 0);
      if (!Number.isInteger(patch) || patch < 1) throw new PromptFormatError(input.id, 'tensor images need patch_size in processor_config.json');
      const [c, h, w] = image.shape;
      const count = Math.floor(h / patch) * Math.floor(w / patch) + extra;
      const expanded = text.replace(imageToken, imageToken.repeat(count));
      return { ids: this.processor.tokenizer.encode(expanded, tokenizeOptions), pixelValues: { data: image.data, shape: [1, c, h, w] } };
    }

    let raw: unknown;
    try {
      if (image.kind === 'path') {
        // The header's size is checked before the decoder allocates it (decompression bombs); a FIFO is refused unread.
        checkImageBytes(await readRegularFile(image.path), image.path, this.maxImagePixels);
        raw = await this.lib.RawImage.read(image.path);
      } else {
        raw = new this.lib.RawImage(image.data, image.width, image.height, 3);
      }
    } catch (err) {
      if (err instanceof ImageTooLargeError) throw new InvalidRequestError(input.id, err.message);
      throw new InvalidRequestError(input.id, `cannot read image ${image.kind === 'path' ? image.path : '(rgb)'}: ${(err as Error).message}`);
    }
    const patches = await this.encodePatches(input.id, raw, text);
    if (patches) return patches;
    const out = await this.processor(raw, text, tokenizeOptions);
    if (!out.input_ids || !out.pixel_values) throw new PromptFormatError(input.id, 'processor returned no input_ids/pixel_values');
    return { ids: toNumbers(out.input_ids), pixelValues: toPixels(input.id, out.pixel_values) };
  }

  /**
   * Qwen2-VL-style processors (an image processor with `merge_size`): flattened patches with their grid, and the
   * image token repeated t·h·w / merge² times, as Qwen2VLProcessor expands it. Undefined for other processors.
   */
  private async encodePatches(id: string, raw: unknown, text: string): Promise<{ ids: number[]; pixelValues: EncodedPixels } | undefined> {
    const imageProcessor = this.imageProcessor();
    const merge = Number(imageProcessor?.config?.['merge_size']);
    if (typeof imageProcessor !== 'function' || !Number.isInteger(merge) || merge < 1) return undefined;
    const out = await imageProcessor(raw);
    const grid = out['image_grid_thw'] ? toNumbers(out['image_grid_thw']) : [];
    if (!out['pixel_values'] || grid.length !== 3) throw new PromptFormatError(id, 'image processor returned no pixel_values/image_grid_thw for one image');
    const gridThw = grid as [number, number, number];
    return { ids: this.expandPatchTokens(text, gridThw, merge), pixelValues: { ...toPixels(id, out['pixel_values']), gridThw } };
  }

  /** Prompt tokens with the image token repeated t·h·w / merge² times, as Qwen2VLProcessor expands it. */
  private expandPatchTokens(text: string, gridThw: readonly [number, number, number], merge: number): number[] {
    const count = (gridThw[0] * gridThw[1] * gridThw[2]) / (merge * merge);
    const expanded = text.replace(this.imageToken, this.imageToken.repeat(count));
    return this.processor.tokenizer.encode(expanded, { add_special_tokens: false });
  }

  private imageProcessor(): { config?: Record<string, unknown>; (image: unknown): Promise<Record<string, TjsTensor>> } | undefined {
    return (this.processor as TjsProcessor & { image_processor?: { config?: Record<string, unknown>; (image: unknown): Promise<Record<string, TjsTensor>> } }).image_processor;
  }

  /** The completion's tokens, then the template's end of turn through its first EOS. */
  private completionIds(input: PromptEncoderInput, messages: ChatMessage[], promptText: string): number[] {
    const completion = input.completion!;
    const content: ChatMessage['content'] = this.format === 'string' ? completion : [{ type: 'text', text: completion }];
    const full = this.render(input.id, [...messages, { role: 'assistant', content }], false);
    if (!full.startsWith(promptText)) throw new PromptFormatError(input.id, 'the chat template renders the assistant turn differently from its generation prompt');
    const turn = full.slice(promptText.length);
    if (!turn.startsWith(completion)) throw new PromptFormatError(input.id, 'the chat template changes the assistant text (trims or escapes it)');
    const tokenizer = this.processor.tokenizer;
    const ids = tokenizer.encode(completion, { add_special_tokens: false });
    const tail = tokenizer.encode(turn.slice(completion.length), { add_special_tokens: false });
    const eos = tail.findIndex((id) => this.eosTokenIds.has(id));
    if (eos >= 0) return [...ids, ...tail.slice(0, eos + 1)];
    return [...ids, ...tail, tokenizer.eos_token_id ?? [...this.eosTokenIds][0]!];
  }

  private render(id: string, messages: ChatMessage[], addGenerationPrompt: boolean): string {
    try {
      return this.processor.apply_chat_template(messages, { add_generation_prompt: addGenerationPrompt, tokenize: false });
    } catch (err) {
      throw new PromptFormatError(id, `chat template failed: ${(err as Error).message}`);
    }
  }
}

const eosFieldsSchema = z.object({
  eos_token_id: z.union([z.number().int(), z.array(z.number().int())]).nullish(),
  text_config: z.object({ eos_token_id: z.union([z.number().int(), z.array(z.number().int())]).nullish() }).nullish(),
});

/**
 * The PromptEncoder of a local transformers.js folder (absolute path; loaded offline) or of a processor
 * already loaded (pass `library` and `eosTokenIds` with it, as the generator does).
 */
export async function createPromptEncoder(source: string | TjsProcessor, options: PromptEncoderOptions = {}): Promise<TransformersJsPromptEncoder> {
  const lib = options.library ?? (await loadTransformersJs());
  if (typeof source !== 'string') {
    const eos = options.eosTokenIds ?? collectEosIds([], source.tokenizer);
    return new TransformersJsPromptEncoder(lib, source, eos, options.messageContent, options.maxImagePixels);
  }
  const processor = await loadProcessor(lib, source);
  const eos = options.eosTokenIds ?? collectEosIds([await readEosFields(source, 'generation_config.json'), await readEosFields(source, 'config.json')], processor.tokenizer);
  if ([...eos].length === 0) throw new ModelLoadError(source, 'no eos_token_id in generation_config.json, config.json or the tokenizer');
  return new TransformersJsPromptEncoder(lib, processor, eos, options.messageContent, options.maxImagePixels);
}

/** The EOS fields of one JSON file of the folder; undefined when the file is absent. */
async function readEosFields(folder: string, file: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = (await readRegularFile(join(folder, file), { maxBytes: 16 << 20 })).toString('utf8');
  } catch (err) {
    if (isMissingFileError(err)) return undefined;
    throw new ModelLoadError(folder, `${file}: ${(err as Error).message}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelLoadError(folder, `${file} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = eosFieldsSchema.safeParse(json);
  if (!parsed.success) throw new ModelLoadError(folder, `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function toNumbers(t: TjsTensor): number[] {
  return Array.from(t.data, (x) => Number(x));
}

function toPixels(id: string, t: TjsTensor): EncodedPixels {
  if (!(t.data instanceof Float32Array)) throw new PromptFormatError(id, `processor returned ${t.type} pixel_values, expected float32`);
  return { data: t.data, shape: [...t.dims] };
}

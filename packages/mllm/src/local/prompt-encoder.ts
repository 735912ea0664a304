import type { GenerationRequest } from '@smart/types';
import { chatMessages, type MessageContentFormat } from './chat-prompt';
import { InvalidRequestError, PromptFormatError } from '../errors';
import type { TjsLibrary, TjsProcessor, TjsTensor } from './transformers-js-surface';

/** A request turned into model inputs: prompt token ids and, with an image, pixel values [1, 3, H, W]. */
export interface EncodedPrompt {
  ids: bigint[];
  pixelValues?: TjsTensor;
}

/**
 * Applies the folder's chat template to a request and runs the folder's processor on image + text.
 * The template already writes special tokens (BOS...), so tokenization adds none.
 */
export async function encodePrompt(
  lib: Pick<TjsLibrary, 'RawImage' | 'Tensor'>,
  processor: TjsProcessor,
  request: GenerationRequest,
  format: MessageContentFormat,
): Promise<EncodedPrompt> {
  const imageToken = typeof processor.config?.image_token === 'string' ? processor.config.image_token : '<image>';
  let text: string;
  try {
    text = processor.apply_chat_template(chatMessages(request, format, imageToken), { add_generation_prompt: true, tokenize: false });
  } catch (err) {
    throw new PromptFormatError(request.id, `chat template failed: ${(err as Error).message}`);
  }
  const tokenizeOptions = { add_special_tokens: false };
  const image = request.image;
  if (!image) return { ids: toBigInts(processor.tokenizer(text, tokenizeOptions).input_ids) };
  if (!text.includes(imageToken)) throw new PromptFormatError(request.id, `the chat template dropped the image token ${imageToken}`);

  if (image.kind === 'tensor') {
    // Pre-normalized pixels skip the image processor; expand the image token as the LLaVA processor does.
    const patch = Number(processor.config?.patch_size);
    const extra = Number(processor.config?.num_additional_image_tokens ?? 0);
    if (!Number.isInteger(patch) || patch < 1) throw new PromptFormatError(request.id, 'tensor images need patch_size in processor_config.json');
    const [c, h, w] = image.shape;
    const count = Math.floor(h / patch) * Math.floor(w / patch) + extra;
    const expanded = text.replace(imageToken, imageToken.repeat(count));
    return { ids: toBigInts(processor.tokenizer(expanded, tokenizeOptions).input_ids), pixelValues: new lib.Tensor('float32', image.data, [1, c, h, w]) };
  }

  let raw: unknown;
  try {
    raw = image.kind === 'path' ? await lib.RawImage.read(image.path) : new lib.RawImage(image.data, image.width, image.height, 3);
  } catch (err) {
    throw new InvalidRequestError(request.id, `cannot read image ${image.kind === 'path' ? image.path : '(rgb)'}: ${(err as Error).message}`);
  }
  const out = await processor(raw, text, tokenizeOptions);
  if (!out.input_ids || !out.pixel_values) throw new PromptFormatError(request.id, 'processor returned no input_ids/pixel_values');
  return { ids: toBigInts(out.input_ids), pixelValues: out.pixel_values };
}

function toBigInts(t: TjsTensor): bigint[] {
  return Array.from(t.data as ArrayLike<bigint>, (x) => BigInt(x));
}

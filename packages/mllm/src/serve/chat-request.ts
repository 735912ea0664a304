import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkImageBytes, ImageTooLargeError, readRegularFile } from '@smart/core';
import type { GenerationRequest, ImageInput, SamplingParams } from '@smart/types';
import { LimitExceededError, UnsupportedChatRequestError } from '../errors';
import { parseDataUrl, sniffImageMime } from '../openai/image-data-url';
import type { ChatCompletionRequest } from '../openai/openai-schemas';

/** How `serve` turns image URLs into files the Generator can read. */
export interface ImageIntake {
  /** Accept `file://` URLs and absolute paths (only for trusted clients). */
  allowLocalPaths: boolean;
  /** Folder for decoded data-URL images. */
  tmpDir: string;
  /** Largest image, width × height, read from its header before anything decodes it (decompression bombs). */
  maxImagePixels: number;
}

/** Caps on what one chat request may ask for. */
export interface ChatLimits {
  /** Largest max_tokens / max_completion_tokens. */
  maxTokens: number;
  /** Largest prompt: characters over every message's text. */
  maxPromptChars: number;
}

/** A GenerationRequest plus the temp files to delete once it has run. */
export interface PreparedChatRequest {
  request: GenerationRequest;
  cleanup(): Promise<void>;
}

/**
 * Maps a validated chat-completions body to one GenerationRequest: system/developer messages become
 * the system prompt, user messages the prompt (joined by newlines), at most one image. Assistant
 * turns (multi-turn chats) and streaming are refused.
 */
export async function toGenerationRequest(
  body: ChatCompletionRequest,
  id: string,
  defaults: SamplingParams,
  intake: ImageIntake,
  limits: ChatLimits,
): Promise<PreparedChatRequest> {
  if (body.stream) throw new UnsupportedChatRequestError('stream: true is not supported', 'stream');
  const system: string[] = [];
  const prompt: string[] = [];
  const imageUrls: string[] = [];
  body.messages.forEach((message, i) => {
    if (message.role === 'assistant') throw new UnsupportedChatRequestError('multi-turn conversations (assistant messages) are not supported', `messages.${i}`);
    const texts: string[] = [];
    for (const part of typeof message.content === 'string' ? [{ type: 'text' as const, text: message.content }] : message.content) {
      if (part.type === 'text') texts.push(part.text);
      else imageUrls.push(typeof part.image_url === 'string' ? part.image_url : part.image_url.url);
    }
    (message.role === 'user' ? prompt : system).push(texts.join('\n'));
  });
  if (imageUrls.length > 1) throw new UnsupportedChatRequestError(`at most one image per request, got ${imageUrls.length}`, 'messages');
  if (prompt.length === 0) throw new UnsupportedChatRequestError('messages must contain a user message', 'messages');
  const chars = [...system, ...prompt].reduce((n, t) => n + t.length, 0);
  if (chars > limits.maxPromptChars) throw new LimitExceededError('messages', limits.maxPromptChars, chars, 'the prompt length in characters');
  const asked = body.max_completion_tokens ?? body.max_tokens;
  if (asked !== undefined && asked > limits.maxTokens) throw new LimitExceededError(body.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens', limits.maxTokens, asked, 'max_tokens');

  const sampling: SamplingParams = {
    temperature: body.temperature ?? defaults.temperature,
    topP: body.top_p ?? defaults.topP,
    topK: body.top_k ?? defaults.topK ?? 0,
    maxNewTokens: asked ?? Math.min(defaults.maxNewTokens, limits.maxTokens),
    ...(body.seed !== undefined ? { seed: body.seed } : {}),
  };
  const request: GenerationRequest = { id, prompt: prompt.join('\n'), sampling };
  if (system.length > 0) request.system = system.join('\n');
  if (body.n !== undefined && body.n > 1) request.n = body.n;
  if (imageUrls.length === 0) return { request, cleanup: async () => undefined };

  const { image, cleanup } = await intakeImage(imageUrls[0]!, intake);
  request.image = image;
  return { request, cleanup };
}

async function intakeImage(url: string, intake: ImageIntake): Promise<{ image: ImageInput; cleanup: () => Promise<void> }> {
  if (url.startsWith('data:')) {
    const parsed = parseDataUrl(url);
    if (!parsed || parsed.bytes.length === 0) throw new UnsupportedChatRequestError('image_url is not a valid base64 data URL', 'image_url');
    const mime = sniffImageMime(parsed.bytes);
    if (!mime) throw new UnsupportedChatRequestError('image_url data is not a PNG, JPEG, GIF, WebP or BMP image', 'image_url');
    checkPixels(parsed.bytes, 'image_url', intake.maxImagePixels);
    const dir = await mkdtemp(join(intake.tmpDir, 'smart-serve-'));
    const path = join(dir, `image.${mime.split('/')[1]}`);
    await writeFile(path, parsed.bytes);
    return { image: { kind: 'path', path }, cleanup: () => rm(dir, { recursive: true, force: true }) };
  }
  const local = url.startsWith('file://') ? fileURLToPath(url) : isAbsolute(url) ? url : undefined;
  if (local !== undefined) {
    if (!intake.allowLocalPaths) throw new UnsupportedChatRequestError('local image paths are disabled on this server (allowLocalImagePaths)', 'image_url');
    let bytes: Buffer;
    try {
      // A FIFO or device path is refused at once instead of blocking the request forever.
      bytes = await readRegularFile(local);
    } catch (err) {
      throw new UnsupportedChatRequestError(`cannot read image ${local}: ${(err as Error).message}`, 'image_url');
    }
    checkPixels(bytes, local, intake.maxImagePixels);
    return { image: { kind: 'path', path: local }, cleanup: async () => undefined };
  }
  throw new UnsupportedChatRequestError('image_url must be a base64 data URL (this server fetches nothing)', 'image_url');
}

/** Refuses an image whose header declares more than `maxPixels`, before any decoder allocates it. */
function checkPixels(bytes: Uint8Array, name: string, maxPixels: number): void {
  try {
    checkImageBytes(bytes, name, maxPixels);
  } catch (err) {
    if (err instanceof ImageTooLargeError) throw new LimitExceededError('image_url', maxPixels, err.width * err.height, `the image's pixel count (${err.width}×${err.height})`);
    throw err;
  }
}

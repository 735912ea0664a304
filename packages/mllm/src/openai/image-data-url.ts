import { imageMimeType, sniffImageFormat } from '@smart/core';
import type { ImageInput } from '@smart/types';
import { encodePng } from './png-encode';

/** The MIME type of an image from its first bytes (@smart/core's signature sniffing); undefined when unknown. */
export function sniffImageMime(bytes: Uint8Array): string | undefined {
  const format = sniffImageFormat(bytes);
  return format ? imageMimeType(format) : undefined;
}

/**
 * A base64 data URL for an image: files keep their bytes (type sniffed from content), RGB pixels
 * are encoded as PNG. Pre-normalized tensors cannot be sent to a server and throw a TypeError.
 */
export async function imageToDataUrl(image: ImageInput, readFile: (path: string) => Promise<Uint8Array>): Promise<string> {
  if (image.kind === 'tensor') throw new TypeError('tensor images are model-specific and cannot be sent over HTTP; pass a path or RGB pixels');
  const bytes = image.kind === 'path' ? await readFile(image.path) : encodePng(image.width, image.height, image.data);
  const mime = sniffImageMime(bytes) ?? 'application/octet-stream';
  return `data:${mime};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}

/** Decoded `data:` URL: its media type and bytes; undefined when the URL is not a base64 data URL. */
export function parseDataUrl(url: string): { mime: string; bytes: Buffer } | undefined {
  const match = /^data:([\w.+-]+\/[\w.+-]+)?((?:;[\w-]+=[^;,]*)*);base64,(.*)$/s.exec(url);
  if (!match) return undefined;
  const payload = match[3]!.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) return undefined;
  return { mime: match[1] ?? 'application/octet-stream', bytes: Buffer.from(payload, 'base64') };
}

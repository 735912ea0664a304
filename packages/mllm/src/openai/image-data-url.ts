import type { ImageInput } from '@smart/types';
import { encodePng } from './png-encode';

/** Image formats we recognise by their first bytes. */
export function sniffImageMime(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return 'image/gif';
  if (bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x46 && bytes[8] === 0x57 && bytes[9] === 0x45) return 'image/webp';
  if (bytes[0] === 0x42 && bytes[1] === 0x4d) return 'image/bmp';
  return undefined;
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

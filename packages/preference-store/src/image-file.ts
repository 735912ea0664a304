import { createHash } from 'node:crypto';
import { imageMimeType, sniffImageFormat } from '@smart/core';

/** sha256 of bytes, lowercase hex. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** File extensions of the stored image formats, by MIME type. */
const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/bmp': 'bmp',
  'image/webp': 'webp',
  'image/tiff': 'tif',
};

/** Guesses an image's MIME type from its first bytes (@smart/core's sniffing); `application/octet-stream` when unknown. */
export function sniffMime(bytes: Uint8Array): string {
  const format = sniffImageFormat(bytes);
  return format ? imageMimeType(format) : 'application/octet-stream';
}

/** File name of a stored image inside an export's image folder: `<sha256>.<ext>`. */
export function imageFileName(sha256: string, mime: string): string {
  return `${sha256}.${EXTENSIONS[mime] ?? 'bin'}`;
}

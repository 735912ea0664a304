import { ImageTooLargeError } from '../errors';
import { readImageHeader, type ImageHeader } from './read-image-header';

/** Pixel limit a decoder applies when the caller sets none (PIL's `MAX_IMAGE_PIXELS`, its decompression-bomb guard). */
export const DEFAULT_MAX_IMAGE_PIXELS = 89_478_485;

/** Throws ImageTooLargeError when `size` holds more than `maxPixels` pixels; call it before decoding. */
export function assertImagePixels(size: { width: number; height: number }, maxPixels: number, path: string): void {
  if (size.width * size.height > maxPixels) throw new ImageTooLargeError(path, size.width, size.height, maxPixels);
}

/**
 * The header of an encoded image, checked against `maxPixels` before any decoding; null when the
 * header cannot be read (the decoder then reports the format or corruption itself).
 */
export function checkImageBytes(bytes: Uint8Array, path: string, maxPixels = DEFAULT_MAX_IMAGE_PIXELS): ImageHeader | null {
  const header = readImageHeader(bytes);
  if (header) assertImagePixels(header, maxPixels, path);
  return header;
}

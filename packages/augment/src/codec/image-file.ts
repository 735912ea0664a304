import { writeFile as fsWriteFile } from 'node:fs/promises';
import { readRegularFile, RecordFileError } from '@smart/core';
import { ImageEncodeError, ImageReadError } from '../errors';
import type { RgbImage } from '../image';
import type { DecodeOptions, ImageCodec } from './image-codec';
import { encodeFormatFromPath, type EncodeFormat } from './image-format';
import { sharpCodec } from './sharp-codec';

/** File-system access and codec, injectable so tests and other stores need no real disk. */
export interface ImageFileIo {
  codec?: ImageCodec;
  /** Default: a bounded read of a regular file (a FIFO or device is refused, never read forever). */
  readFile?: (path: string) => Promise<Uint8Array>;
  writeFile?: (path: string, data: Uint8Array) => Promise<void>;
}

/** Bound on an image file read whole (a real photo is a few MB; the pixel limit applies after). */
const MAX_IMAGE_FILE_BYTES = 512 * 2 ** 20;

/**
 * Reads and decodes an image file to 8-bit RGB; every failure is an ImageDecodeError naming `path`, or
 * @smart/core's ImageTooLargeError when the header declares more than `maxPixels` pixels.
 */
export async function readImage(path: string, options: DecodeOptions & ImageFileIo = {}): Promise<RgbImage> {
  const read = options.readFile ?? ((p: string) => readRegularFile(p, { maxBytes: MAX_IMAGE_FILE_BYTES }));
  let bytes: Uint8Array;
  try {
    bytes = await read(path);
  } catch (err) {
    const reason = err instanceof RecordFileError ? err.reason : ((err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err)));
    throw new ImageReadError(path, reason);
  }
  return decodeImage(bytes, path, options);
}

/** Encodes (format from the extension unless given) and writes an image. */
export async function writeImage(
  path: string,
  image: RgbImage,
  options: ImageFileIo & { format?: EncodeFormat; quality?: number } = {},
): Promise<void> {
  const format = options.format ?? encodeFormatFromPath(path);
  if (!format) throw new ImageEncodeError(path, 'cannot tell the format from the extension; pass format');
  const bytes = await (options.codec ?? sharpCodec).encode(image, path, { format, quality: options.quality });
  try {
    await (options.writeFile ?? fsWriteFile)(path, bytes);
  } catch (err) {
    throw new ImageEncodeError(path, (err as NodeJS.ErrnoException).code ?? String(err));
  }
}

/** Decodes bytes already in memory (e.g. from a store or an archive) with the default codec. */
export function decodeImage(bytes: Uint8Array, name: string, options: DecodeOptions & { codec?: ImageCodec } = {}): Promise<RgbImage> {
  return (options.codec ?? sharpCodec).decode(bytes, name, options);
}

/** Encodes to bytes with the default codec. */
export function encodeImage(image: RgbImage, options: { format: EncodeFormat; quality?: number; name?: string; codec?: ImageCodec }): Promise<Uint8Array> {
  return (options.codec ?? sharpCodec).encode(image, options.name ?? `<${options.format}>`, options);
}

import { checkImageBytes, DEFAULT_MAX_IMAGE_PIXELS, sniffImageFormat, type ImageFormat } from '@smart/core';
import sharp from 'sharp';
import { CorruptImageError, EmptyImageError, ImageEncodeError, TruncatedImageError, UnsupportedImageFormatError } from '../errors';
import { assertShape, type RgbImage } from '../image';
import type { DecodeOptions, EncodeOptions, ImageCodec } from './image-codec';

/** Formats libvips decodes from the prebuilt `sharp` binaries (no BMP there). */
const DECODED: ReadonlySet<ImageFormat> = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff']);

/** The codec backed by libvips through `sharp` (native libjpeg-turbo / libspng; prebuilt binaries from npm). */
export const sharpCodec: ImageCodec = {
  async decode(bytes: Uint8Array, name: string, options: DecodeOptions = {}): Promise<RgbImage> {
    if (bytes.length === 0) throw new EmptyImageError(name);
    const format = sniffImageFormat(bytes);
    // Only signature-checked formats reach libvips: no SVG (can reference other files), no guessing.
    if (!format) throw new UnsupportedImageFormatError(name, `unrecognized signature ${hex(bytes.subarray(0, 8))}`);
    if (!DECODED.has(format)) throw new UnsupportedImageFormatError(name, `${format} is not decoded by this codec`);
    const maxPixels = options.maxPixels ?? DEFAULT_MAX_IMAGE_PIXELS;
    // A decompression bomb is refused from its header, before libvips allocates anything (ImageTooLargeError).
    checkImageBytes(bytes, name, maxPixels);
    try {
      let pipeline = sharp(bytes, { failOn: options.strict === false ? 'truncated' : 'warning', limitInputPixels: maxPixels });
      if (options.autoOrient) pipeline = pipeline.rotate();
      pipeline = (options.alpha ?? 'white') === 'white' ? pipeline.flatten({ background: { r: 255, g: 255, b: 255 } }) : pipeline.removeAlpha();
      const { data, info } = await pipeline.toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
      if (info.channels !== 3) throw new CorruptImageError(name, `decoded to ${info.channels} channels`);
      return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
    } catch (err) {
      if (err instanceof CorruptImageError) throw err;
      throw classify(name, format, bytes, err);
    }
  },

  async encode(image: RgbImage, name: string, options: EncodeOptions): Promise<Uint8Array> {
    assertShape(image);
    const quality = options.quality ?? 90;
    try {
      const raw = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
      const out =
        options.format === 'jpeg'
          ? raw.jpeg({ quality })
          : options.format === 'webp'
            ? raw.webp({ quality })
            : raw.png();
      const buf = await out.toBuffer();
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    } catch (err) {
      throw new ImageEncodeError(name, err instanceof Error ? err.message : String(err));
    }
  },
};

function classify(name: string, format: ImageFormat, bytes: Uint8Array, err: unknown): Error {
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
  const truncated =
    /premature end|truncat|unexpected end|end of (file|stream|data)/i.test(message) ||
    (format === 'png' && !hasPngEnd(bytes)) ||
    (format === 'jpeg' && !hasJpegEnd(bytes));
  return truncated ? new TruncatedImageError(name, `${format}: ${message}`) : new CorruptImageError(name, `${format}: ${message}`);
}

// IEND is the last chunk: 4-byte length, "IEND", 4-byte CRC.
function hasPngEnd(b: Uint8Array): boolean {
  const at = b.length - 8;
  return at > 0 && b[at] === 0x49 && b[at + 1] === 0x45 && b[at + 2] === 0x4e && b[at + 3] === 0x44;
}

// EOI (FF D9), allowing trailing padding that some writers add after it.
function hasJpegEnd(b: Uint8Array): boolean {
  for (let i = b.length - 2; i >= Math.max(2, b.length - 64); i--) if (b[i] === 0xff && b[i + 1] === 0xd9) return true;
  return false;
}

function hex(b: Uint8Array): string {
  return b.length === 0 ? '(none)' : Array.from(b, (v) => v.toString(16).padStart(2, '0')).join(' ');
}

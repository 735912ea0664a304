import { sniffImageFormat, type ImageFormat } from './sniff-image-format';

/** What an image's header declares, read without decoding any pixels. */
export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/**
 * Format and dimensions from the first bytes of an image file (PNG IHDR, JPEG SOFn, GIF screen
 * descriptor, WebP VP8/VP8L/VP8X, BMP DIB header, TIFF first IFD). Null when the signature is
 * unknown or the header is truncated or malformed.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  const format = sniffImageFormat(bytes);
  if (!format) return null;
  const size = DIMENSIONS[format](new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (!size || !(size[0] > 0) || !(size[1] > 0)) return null;
  return { format, width: size[0], height: size[1] };
}

type Size = [width: number, height: number] | null;

const DIMENSIONS: Record<ImageFormat, (v: DataView) => Size> = {
  png: (v) => (v.byteLength >= 24 && v.getUint32(12) === 0x49484452 ? [v.getUint32(16), v.getUint32(20)] : null),
  gif: (v) => (v.byteLength >= 10 ? [v.getUint16(6, true), v.getUint16(8, true)] : null),
  bmp: (v) => {
    if (v.byteLength < 26) return null;
    // BITMAPCOREHEADER (12 bytes) has 16-bit sizes; every later header 32-bit, height negative for top-down rows.
    if (v.getUint32(14, true) === 12) return [v.getUint16(18, true), v.getUint16(20, true)];
    return [v.getInt32(18, true), Math.abs(v.getInt32(22, true))];
  },
  webp: (v) => {
    if (v.byteLength < 30) return null;
    const chunk = v.getUint32(12);
    if (chunk === 0x56503820) {
      // 'VP8 ': a keyframe starts with the 9d 01 2a start code, then 14-bit sizes.
      if (v.getUint8(23) !== 0x9d || v.getUint8(24) !== 0x01 || v.getUint8(25) !== 0x2a) return null;
      return [v.getUint16(26, true) & 0x3fff, v.getUint16(28, true) & 0x3fff];
    }
    if (chunk === 0x5650384c) {
      // 'VP8L': signature 0x2f, then (width − 1) and (height − 1) as 14-bit fields.
      if (v.getUint8(20) !== 0x2f) return null;
      const bits = v.getUint32(21, true);
      return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
    }
    if (chunk === 0x56503858) {
      // 'VP8X': canvas (width − 1) and (height − 1) as 24-bit little-endian fields.
      const u24 = (at: number) => v.getUint8(at) | (v.getUint8(at + 1) << 8) | (v.getUint8(at + 2) << 16);
      return [u24(24) + 1, u24(27) + 1];
    }
    return null;
  },
  jpeg: (v) => {
    let at = 2;
    while (at + 4 <= v.byteLength) {
      if (v.getUint8(at) !== 0xff) return null;
      const marker = v.getUint8(at + 1);
      if (marker === 0xff) {
        at++; // fill byte
        continue;
      }
      // Standalone markers carry no length.
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
        at += 2;
        continue;
      }
      if (marker === 0xd9 || marker === 0xda) return null; // end of image / start of scan before any frame header
      const length = v.getUint16(at + 2);
      const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isFrame) return at + 9 <= v.byteLength ? [v.getUint16(at + 7), v.getUint16(at + 5)] : null;
      if (length < 2) return null;
      at += 2 + length;
    }
    return null;
  },
  tiff: (v) => {
    if (v.byteLength < 8) return null;
    const le = v.getUint8(0) === 0x49;
    const ifd = v.getUint32(4, le);
    if (ifd + 2 > v.byteLength) return null;
    const count = v.getUint16(ifd, le);
    let width = 0;
    let height = 0;
    for (let i = 0; i < count; i++) {
      const entry = ifd + 2 + 12 * i;
      if (entry + 12 > v.byteLength) return null;
      const tag = v.getUint16(entry, le);
      const type = v.getUint16(entry + 2, le);
      const value = type === 3 ? v.getUint16(entry + 8, le) : type === 4 ? v.getUint32(entry + 8, le) : 0;
      if (tag === 256) width = value; // ImageWidth
      if (tag === 257) height = value; // ImageLength
    }
    return [width, height];
  },
};

import { deflateSync } from 'node:zlib';
import { ImageTooLargeError } from '../errors';
import { assertImagePixels, checkImageBytes } from './assert-image-pixels';
import { readImageHeader } from './read-image-header';
import { imageMimeType, sniffImageFormat } from './sniff-image-format';

const u16le = (v: number) => [v & 0xff, v >>> 8];
const u16be = (v: number) => [v >>> 8, v & 0xff];
const u32le = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const u32be = (v: number) => [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** A complete 8-bit greyscale PNG of the given size (signature, IHDR, IDAT, IEND). */
function png(width: number, height: number, { pixels = true } = {}): Uint8Array {
  const chunk = (type: string, body: number[]) => [...u32be(body.length), ...ascii(type), ...body, 0, 0, 0, 0];
  const rows = Buffer.alloc(pixels ? (width + 1) * height : 0);
  return Uint8Array.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ...chunk('IHDR', [...u32be(width), ...u32be(height), 8, 0, 0, 0, 0]),
    ...chunk('IDAT', Array.from(deflateSync(rows))),
    ...chunk('IEND', []),
  ]);
}

const jpeg = (width: number, height: number) =>
  Uint8Array.from([
    0xff, 0xd8, // SOI
    0xff, 0xe0, ...u16be(16), ...ascii('JFIF'), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, // APP0
    0xff, 0xff, // fill byte
    0xff, 0xc2, ...u16be(11), 8, ...u16be(height), ...u16be(width), 1, 1, 0x11, 0, // SOF2 (progressive)
    0xff, 0xd9,
  ]);
const gif = (width: number, height: number) => Uint8Array.from([...ascii('GIF89a'), ...u16le(width), ...u16le(height), 0, 0, 0]);
const bmp = (width: number, height: number) => Uint8Array.from([...ascii('BM'), ...u32le(70), 0, 0, 0, 0, ...u32le(54), ...u32le(40), ...u32le(width), ...u32le(-height >>> 0), ...u16le(1), ...u16le(24)]);
const riff = (chunk: string, body: number[]) => Uint8Array.from([...ascii('RIFF'), ...u32le(4 + 8 + body.length), ...ascii('WEBP'), ...ascii(chunk), ...u32le(body.length), ...body]);
const webpLossy = (w: number, h: number) => riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, ...u16le(w), ...u16le(h), 0, 0]);
const webpLossless = (w: number, h: number) => {
  const bits = ((w - 1) & 0x3fff) | (((h - 1) & 0x3fff) << 14);
  return riff('VP8L', [0x2f, ...u32le(bits >>> 0), 0, 0, 0, 0, 0]);
};
const webpExtended = (w: number, h: number) => riff('VP8X', [0, 0, 0, 0, ...u32le(w - 1).slice(0, 3), ...u32le(h - 1).slice(0, 3), 0, 0]);
const tiff = (w: number, h: number) =>
  Uint8Array.from([...ascii('II'), 42, 0, ...u32le(8), ...u16le(2), ...u16le(256), ...u16le(3), ...u32le(1), ...u16le(w), 0, 0, ...u16le(257), ...u16le(4), ...u32le(1), ...u32le(h), 0, 0, 0, 0]);

describe('sniffImageFormat', () => {
  it('names each format by its signature and nothing else', () => {
    expect(sniffImageFormat(png(1, 1))).toBe('png');
    expect(sniffImageFormat(jpeg(1, 1))).toBe('jpeg');
    expect(sniffImageFormat(gif(1, 1))).toBe('gif');
    expect(sniffImageFormat(webpLossy(1, 1))).toBe('webp');
    expect(sniffImageFormat(bmp(1, 1))).toBe('bmp');
    expect(sniffImageFormat(tiff(1, 1))).toBe('tiff');
    expect(sniffImageFormat(Uint8Array.from([0x4d, 0x4d, 0, 0x2a]))).toBe('tiff');
    expect(sniffImageFormat(Uint8Array.from(ascii('RIFF\0\0\0\0WAVE')))).toBeNull();
    expect(sniffImageFormat(Uint8Array.from(ascii('<svg xmlns')))).toBeNull();
    expect(sniffImageFormat(new Uint8Array(0))).toBeNull();
    expect(imageMimeType('jpeg')).toBe('image/jpeg');
  });
});

describe('readImageHeader', () => {
  it.each([
    ['png', png],
    ['jpeg', jpeg],
    ['gif', gif],
    ['bmp', bmp],
    ['webp', webpLossy],
    ['webp', webpLossless],
    ['webp', webpExtended],
    ['tiff', tiff],
  ] as const)('reads %s dimensions without decoding', (format, make) => {
    expect(readImageHeader(make(640, 480))).toEqual({ format, width: 640, height: 480 });
    expect(readImageHeader(make(3, 7))).toEqual({ format, width: 3, height: 7 });
  });

  it('reads a subarray view at its own offset', () => {
    const bytes = new Uint8Array(100);
    bytes.set(png(5, 9), 10);
    expect(readImageHeader(bytes.subarray(10))).toEqual({ format: 'png', width: 5, height: 9 });
  });

  it('returns null for truncated headers and zero sizes', () => {
    expect(readImageHeader(png(5, 9).subarray(0, 20))).toBeNull();
    expect(readImageHeader(jpeg(5, 9).subarray(0, 24))).toBeNull();
    expect(readImageHeader(gif(0, 9))).toBeNull();
    expect(readImageHeader(Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 2]))).toBeNull();
  });
});

describe('pixel limits', () => {
  it('throws ImageTooLargeError with the sizes, before any decoding', () => {
    expect(() => assertImagePixels({ width: 100, height: 100 }, 10_000, 'ok.png')).not.toThrow();
    expect(() => assertImagePixels({ width: 100, height: 101 }, 10_000, 'big.png')).toThrow(ImageTooLargeError);
    // A 60000×60000 header over a few bytes (a decompression bomb) is refused from the header alone.
    const bomb = png(60_000, 60_000, { pixels: false });
    let error: unknown;
    try {
      checkImageBytes(bomb, 'bomb.png');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ImageTooLargeError);
    expect(error).toMatchObject({ path: 'bomb.png', width: 60_000, height: 60_000, maxPixels: 89_478_485 });
    expect(checkImageBytes(png(4, 4), 'small.png', 16)).toEqual({ format: 'png', width: 4, height: 4 });
    expect(checkImageBytes(Uint8Array.from([1, 2, 3]), 'junk')).toBeNull();
  });
});

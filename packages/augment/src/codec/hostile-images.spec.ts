import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { ImageTooLargeError } from '@smart/core';
import { CorruptImageError, EmptyImageError, ImageReadError, TruncatedImageError, UnsupportedImageFormatError } from '../errors';
import { decodeImage, encodeImage, readImage } from './image-file';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const v of b) c = CRC_TABLE[(c ^ v) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}
/** A valid 1-bit grayscale PNG of zeros: a few KB on disk, width × height × 3 bytes once decoded to RGB. */
function bitPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, grayscale
  const raw = Buffer.alloc(height * (1 + Math.ceil(width / 8)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}
/** A JPEG whose SOF0 declares `width` × `height` and holds nothing else. */
function jpegHeader(width: number, height: number): Buffer {
  const sof = Buffer.from([0xff, 0xc0, 0, 11, 8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), sof, Buffer.from([0xff, 0xd9])]);
}
function gifHeader(width: number, height: number): Buffer {
  const b = Buffer.from('GIF89a\0\0\0\0\0\0\0', 'latin1');
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  return b;
}

describe('image decoding: hostile inputs', () => {
  let dir: string;
  let small: Uint8Array;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'augment-hostile-'));
    execFileSync('mkfifo', [join(dir, 'pipe.png')]);
    small = await encodeImage({ width: 4, height: 4, data: new Uint8Array(48).fill(90) }, { format: 'png' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    { name: 'a FIFO named .png', path: () => join(dir, 'pipe.png'), detail: 'not a regular file (FIFO)' },
    { name: '/dev/zero', path: () => '/dev/zero', detail: 'not a regular file (character device)' },
    { name: 'a directory', path: () => dir, detail: 'not a regular file (directory)' },
    { name: 'a missing file', path: () => join(dir, 'none.png'), detail: 'file does not exist (ENOENT)' },
  ])('readImage: $name is an ImageReadError at once, never a hang', async ({ path, detail }) => {
    const started = Date.now();
    const err = await readImage(path()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageReadError);
    expect(err).toMatchObject({ path: path(), reason: 'unreadable', detail });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a 9500×9500 1-bit PNG bomb (a few KB, 270 MB as RGB) is refused from its header, with bounded memory', async () => {
    const bomb = bitPng(9500, 9500);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const p = join(dir, 'bomb.png');
    writeFileSync(p, bomb);
    const before = process.memoryUsage().rss;
    await expect(readImage(p)).rejects.toMatchObject({ constructor: ImageTooLargeError, path: p, width: 9500, height: 9500 });
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 2 ** 20);
  });

  it.each([
    { name: 'PNG declaring 65535×65535', bytes: () => bitPng(65535, 1).subarray(0, 33), width: 65535, height: 1, max: 1000 },
    { name: 'JPEG declaring 60000×60000', bytes: () => jpegHeader(60000, 60000), width: 60000, height: 60000, max: undefined },
    { name: 'GIF declaring 65535×65535', bytes: () => gifHeader(65535, 65535), width: 65535, height: 65535, max: undefined },
    { name: 'a 2000×2000 PNG under a 1 M pixel limit', bytes: () => bitPng(2000, 2000), width: 2000, height: 2000, max: 1_000_000 },
  ])('decodeImage: $name → ImageTooLargeError before decoding', async ({ bytes, width, height, max }) => {
    await expect(decodeImage(bytes(), 'x', { maxPixels: max })).rejects.toMatchObject({ constructor: ImageTooLargeError, path: 'x', width, height });
  });

  it.each([
    { name: 'empty bytes', bytes: () => new Uint8Array(0), type: EmptyImageError },
    { name: 'random text', bytes: () => Buffer.from('hello, not an image at all'), type: UnsupportedImageFormatError },
    { name: 'an SVG', bytes: () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="99999" height="99999"/>'), type: UnsupportedImageFormatError },
    { name: 'a BMP signature', bytes: () => Buffer.from('BM\0\0\0\0\0\0\0\0\0\0\0\0'), type: UnsupportedImageFormatError },
    { name: 'a PNG cut after its header', bytes: () => small.subarray(0, 40), type: TruncatedImageError },
    { name: 'a PNG with garbage after IHDR', bytes: () => Buffer.concat([small.subarray(0, 33), Buffer.alloc(64, 0x41)]), type: TruncatedImageError },
    { name: 'a JPEG with only markers', bytes: () => jpegHeader(8, 8), type: CorruptImageError },
  ])('decodeImage: $name is a typed decode error naming the input', async ({ bytes, type }) => {
    const err = await decodeImage(bytes(), 'in.img').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({ path: 'in.img' });
  });
});

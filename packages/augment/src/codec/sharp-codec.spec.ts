import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageTooLargeError, readImageHeader, sniffImageFormat } from '@smart/core';
import sharp from 'sharp';
import { CorruptImageError, EmptyImageError, ImageDecodeError, ImageEncodeError, ImageReadError, TruncatedImageError, UnsupportedImageFormatError } from '../errors';
import type { RgbImage } from '../image';
import { decodeImage, encodeImage, readImage, writeImage } from './image-file';
import { sharpCodec } from './sharp-codec';

const W = 48;
const H = 32;
// A smooth gradient (JPEG keeps it close) with distinct channels.
const img: RgbImage = { width: W, height: H, data: new Uint8Array(W * H * 3) };
for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) img.data.set([x * 5, y * 7, 128], (y * W + x) * 3);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'augment-codec-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function decodeError(bytes: Uint8Array, name: string, strict = true): Promise<ImageDecodeError> {
  try {
    await sharpCodec.decode(bytes, name, { strict });
  } catch (err) {
    if (err instanceof ImageDecodeError) return err;
    throw err;
  }
  throw new Error(`${name} decoded without error`);
}

describe('sharpCodec', () => {
  it('round-trips PNG exactly and JPEG closely', async () => {
    const png = await encodeImage(img, { format: 'png' });
    expect(sniffImageFormat(png)).toBe('png');
    expect(Buffer.from((await decodeImage(png, 'a.png')).data).equals(Buffer.from(img.data))).toBe(true);
    const jpeg = await encodeImage(img, { format: 'jpeg', quality: 95 });
    expect(sniffImageFormat(jpeg)).toBe('jpeg');
    const back = await decodeImage(jpeg, 'a.jpg');
    expect([back.width, back.height]).toEqual([W, H]);
    let err = 0;
    back.data.forEach((v, i) => (err += Math.abs(v - img.data[i]!)));
    expect(err / back.data.length).toBeLessThan(3);
  });

  it('composites alpha over white by default, or drops it', async () => {
    // Pure black at alpha 0, 128, 255.
    const rgba = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 128, 0, 0, 0, 255]);
    const png = await sharp(rgba, { raw: { width: 3, height: 1, channels: 4 } }).png().toBuffer();
    const white = await decodeImage(png, 'alpha.png');
    expect(Array.from(white.data)).toEqual([255, 255, 255, 127, 127, 127, 0, 0, 0]);
    const dropped = await decodeImage(png, 'alpha.png', { alpha: 'drop' });
    expect(Array.from(dropped.data)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('expands grayscale and 16-bit input to 8-bit RGB', async () => {
    const grey16 = await sharp(new Uint8Array(4 * 2 * 2).fill(0x80), { raw: { width: 4, height: 2, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toBuffer();
    const out = await decodeImage(grey16, 'g16.png');
    expect([out.width, out.height, out.data.length]).toEqual([4, 2, 24]);
    expect(new Set(out.data)).toEqual(new Set([128]));
  });

  it('names the file in typed errors for empty, truncated, corrupt and unsupported input', async () => {
    const jpeg = await encodeImage(img, { format: 'jpeg' });
    const png = await encodeImage(img, { format: 'png' });
    expect(await decodeError(new Uint8Array(0), 'empty.jpg')).toBeInstanceOf(EmptyImageError);
    for (const strict of [true, false]) {
      const t = await decodeError(jpeg.subarray(0, jpeg.length >> 1), 'half.jpg', strict);
      expect(t).toBeInstanceOf(TruncatedImageError);
      expect(t.message).toContain('half.jpg');
    }
    expect(await decodeError(jpeg.subarray(0, 30), 'header.jpg')).toBeInstanceOf(TruncatedImageError);
    expect(await decodeError(png.subarray(0, png.length >> 1), 'half.png')).toBeInstanceOf(TruncatedImageError);
    const damaged = Uint8Array.from(png);
    for (let i = 40; i < damaged.length - 20; i += 3) damaged[i] = damaged[i]! ^ 0x5a;
    const c = await decodeError(damaged, 'damaged.png');
    expect(c).toBeInstanceOf(CorruptImageError);
    expect(c.path).toBe('damaged.png');
    const u = await decodeError(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'x.svg');
    expect(u).toBeInstanceOf(UnsupportedImageFormatError);
    expect(await decodeError(Uint8Array.from([0x42, 0x4d, 1, 2, 3, 4]), 'x.bmp')).toBeInstanceOf(UnsupportedImageFormatError);
  });
});

describe('readImage / writeImage', () => {
  it('writes by extension and reads back', async () => {
    const path = join(dir, 'out.png');
    await writeImage(path, img);
    const back = await readImage(path);
    expect(Buffer.from(back.data).equals(Buffer.from(img.data))).toBe(true);
    await expect(writeImage(join(dir, 'out.xyz'), img)).rejects.toBeInstanceOf(ImageEncodeError);
  });

  it('reports missing and broken files with their path', async () => {
    const missing = join(dir, 'nope.jpg');
    await expect(readImage(missing)).rejects.toMatchObject({ constructor: ImageReadError, path: missing, reason: 'unreadable' });
    const broken = join(dir, 'broken.jpg');
    const jpeg = await encodeImage(img, { format: 'jpeg' });
    await writeFile(broken, jpeg.subarray(0, jpeg.length - 100));
    await expect(readImage(broken)).rejects.toMatchObject({ path: broken, reason: 'truncated' });
  });

  it('uses injected file access', async () => {
    const png = await encodeImage(img, { format: 'png' });
    const out = await readImage('mem://a.png', { readFile: async () => png });
    expect(out.width).toBe(W);
  });

  it("reads real encoders' headers with @smart/core and refuses too many pixels before decoding", async () => {
    const raw = sharp(img.data, { raw: { width: W, height: H, channels: 3 } });
    const encoded = {
      png: await raw.clone().png().toBuffer(),
      jpeg: await raw.clone().jpeg({ progressive: true }).toBuffer(),
      webp: await raw.clone().webp().toBuffer(),
      gif: await raw.clone().gif().toBuffer(),
      tiff: await raw.clone().tiff().toBuffer(),
    };
    for (const [format, bytes] of Object.entries(encoded)) {
      expect(readImageHeader(bytes)).toEqual({ format, width: W, height: H });
      await expect(decodeImage(bytes, `big.${format}`, { maxPixels: W * H - 1 })).rejects.toMatchObject({
        constructor: ImageTooLargeError,
        path: `big.${format}`,
        width: W,
        height: H,
        maxPixels: W * H - 1,
      });
      expect((await decodeImage(bytes, `ok.${format}`, { maxPixels: W * H })).width).toBe(W);
    }
    const lossless = await raw.clone().webp({ lossless: true }).toBuffer();
    expect(readImageHeader(lossless)).toEqual({ format: 'webp', width: W, height: H });
  });
});

import type { Rng } from '@smart/types';
import { AugmentConfigError } from './errors';
import { assertShape, type Raster, type Rect } from './image';
import { planes } from './planes';

/** Cuts `rect` out of the raster (same layout). */
export function crop<T extends Raster>(r: T, rect: Rect): T {
  assertShape(r);
  const { top, left, height, width } = rect;
  if (!(top >= 0 && left >= 0 && height > 0 && width > 0 && top + height <= r.height && left + width <= r.width)) {
    throw new AugmentConfigError('rect', rect, `does not fit in ${r.width}x${r.height}`);
  }
  const { count, rowLength, pixelSize } = planes(r);
  const outRow = width * pixelSize;
  const src = r.data;
  const dst = new (src.constructor as new (n: number) => T['data'])(count * height * outRow);
  for (let p = 0; p < count; p++) {
    for (let y = 0; y < height; y++) {
      const from = (p * r.height + top + y) * rowLength + left * pixelSize;
      dst.set(src.subarray(from, from + outRow), (p * height + y) * outRow);
    }
  }
  return { ...r, height, width, data: dst };
}

/** Options of random cropping. */
export interface RandomCropOptions {
  rng: Rng;
  /** Output size; a fraction in (0, 1] of each side when `fraction` is set instead. */
  size?: { height: number; width: number };
  /** Crop this fraction of each side (e.g. 0.8), rounded to whole pixels. */
  fraction?: number;
}

/** torchvision RandomCrop (no padding): top ~ U{0..H−h}, left ~ U{0..W−w}. Returns the crop and where it came from. */
export function randomCrop<T extends Raster>(r: T, options: RandomCropOptions): { raster: T; rect: Rect } {
  const size = options.size ?? fractionSize(r, options.fraction);
  if (!(Number.isInteger(size.height) && Number.isInteger(size.width) && size.height > 0 && size.width > 0 && size.height <= r.height && size.width <= r.width)) {
    throw new AugmentConfigError('size', size, `must be whole pixels within ${r.width}x${r.height}`);
  }
  const top = Math.floor(options.rng.next() * (r.height - size.height + 1));
  const left = Math.floor(options.rng.next() * (r.width - size.width + 1));
  const rect = { top, left, ...size };
  return { raster: crop(r, rect), rect };
}

function fractionSize(r: Raster, fraction: number | undefined): { height: number; width: number } {
  if (fraction === undefined || !(fraction > 0 && fraction <= 1)) {
    throw new AugmentConfigError('fraction', fraction, 'give size, or a fraction in (0, 1]');
  }
  return { height: Math.max(1, Math.round(r.height * fraction)), width: Math.max(1, Math.round(r.width * fraction)) };
}

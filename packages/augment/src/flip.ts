import type { Rng } from '@smart/types';
import { AugmentConfigError } from './errors';
import { assertShape, type Raster } from './image';
import { planes } from './planes';

/** Mirror left–right (torchvision hflip), into a new raster of the same layout. */
export function flipHorizontal<T extends Raster>(r: T): T {
  assertShape(r);
  const { count, rowLength, pixelSize } = planes(r);
  const src = r.data;
  const dst = new (src.constructor as new (n: number) => T['data'])(src.length);
  const rows = count * r.height;
  for (let row = 0; row < rows; row++) {
    const start = row * rowLength;
    const last = start + rowLength - pixelSize;
    for (let x = 0; x < rowLength; x += pixelSize) {
      for (let k = 0; k < pixelSize; k++) dst[start + x + k] = src[last - x + k]!;
    }
  }
  return { ...r, data: dst };
}

/** Mirror top–bottom (torchvision vflip), into a new raster of the same layout. */
export function flipVertical<T extends Raster>(r: T): T {
  assertShape(r);
  const { count, rowLength } = planes(r);
  const src = r.data;
  const dst = new (src.constructor as new (n: number) => T['data'])(src.length);
  const planeLength = rowLength * r.height;
  for (let p = 0; p < count; p++) {
    for (let y = 0; y < r.height; y++) {
      const from = p * planeLength + (r.height - 1 - y) * rowLength;
      dst.set(src.subarray(from, from + rowLength), p * planeLength + y * rowLength);
    }
  }
  return { ...r, data: dst };
}

/** Which way a flip mirrors. */
export type FlipDirection = 'horizontal' | 'vertical';

/** Flips with probability p (one uniform draw: flipped when u < p, as torchvision). Returns the raster and whether it flipped. */
export function randomFlip<T extends Raster>(r: T, options: { rng: Rng; p?: number; direction?: FlipDirection }): { raster: T; flipped: boolean } {
  const p = options.p ?? 0.5;
  checkProbability('p', p);
  const flipped = options.rng.next() < p;
  if (!flipped) return { raster: r, flipped };
  return { raster: options.direction === 'vertical' ? flipVertical(r) : flipHorizontal(r), flipped };
}

/** Throws unless p is a probability. */
export function checkProbability(field: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new AugmentConfigError(field, p, 'must be a probability in [0, 1]');
}

import { normal } from '@smart/core';
import type { Rng } from '@smart/types';
import { AugmentConfigError } from './errors';
import { checkProbability } from './flip';
import { assertShape, isChwTensor, type Raster, type Rect } from './image';

/** Options of random erasing; defaults are SMART's (torchvision's scale default is (0.02, 0.33)). */
export interface RandomErasingOptions {
  rng: Rng;
  /** Probability of erasing at all (default 0.5). */
  p?: number;
  /** Range of the erased area as a fraction of the image (default [0.02, 0.2]). */
  scale?: readonly [number, number];
  /** Range of the aspect ratio h/w, sampled log-uniformly (default [0.3, 3.3]). */
  ratio?: readonly [number, number];
  /**
   * Fill: one value for every channel, one per channel, or 'random' for N(0, 1) noise (torchvision's
   * value='random'). Values are in [0, 1] intensity units: on an RgbImage they are scaled to 0..255
   * (random fill is clamped); on a tensor they are written as given. Default 0 (black).
   */
  value?: number | readonly number[] | 'random';
  /** Placement attempts before giving up (default 10). */
  attempts?: number;
}

export const DEFAULT_ERASE_SCALE: readonly [number, number] = [0.02, 0.2];
export const DEFAULT_ERASE_RATIO: readonly [number, number] = [0.3, 3.3];

/**
 * torchvision RandomErasing.get_params: up to `attempts` draws of area = H·W·U(scale) and
 * r = exp(U(ln ratio)), h = round(√(area·r)), w = round(√(area/r)) with Python's half-to-even round;
 * the first with h < H and w < W is placed uniformly. Null when none fits.
 */
export function sampleEraseRect(height: number, width: number, options: Omit<RandomErasingOptions, 'p' | 'value'>): Rect | null {
  const [s0, s1] = options.scale ?? DEFAULT_ERASE_SCALE;
  const [r0, r1] = options.ratio ?? DEFAULT_ERASE_RATIO;
  if (!(s0 >= 0 && s0 <= s1 && s1 <= 1)) throw new AugmentConfigError('scale', options.scale, 'need 0 ≤ min ≤ max ≤ 1');
  if (!(r0 > 0 && r0 <= r1)) throw new AugmentConfigError('ratio', options.ratio, 'need 0 < min ≤ max');
  const attempts = options.attempts ?? 10;
  const logR0 = Math.log(r0);
  const logR1 = Math.log(r1);
  const area = height * width;
  const { rng } = options;
  for (let i = 0; i < attempts; i++) {
    const eraseArea = area * (s0 + (s1 - s0) * rng.next());
    const aspect = Math.exp(logR0 + (logR1 - logR0) * rng.next());
    const h = roundHalfEven(Math.sqrt(eraseArea * aspect));
    const w = roundHalfEven(Math.sqrt(eraseArea / aspect));
    if (!(h < height && w < width)) continue;
    const top = Math.floor(rng.next() * (height - h + 1));
    const left = Math.floor(rng.next() * (width - w + 1));
    return { top, left, height: h, width: w };
  }
  return null;
}

/** Fills `rect` with `value` (see RandomErasingOptions.value) in a copy of the raster. */
export function erase<T extends Raster>(r: T, rect: Rect, value: RandomErasingOptions['value'] = 0, rng?: Rng): T {
  assertShape(r);
  if (rect.top < 0 || rect.left < 0 || rect.top + rect.height > r.height || rect.left + rect.width > r.width) {
    throw new AugmentConfigError('rect', rect, `does not fit in ${r.width}x${r.height}`);
  }
  if (value === 'random' && !rng) throw new AugmentConfigError('value', value, "'random' fill needs an rng");
  const data = r.data.slice() as T['data'];
  const tensor = isChwTensor(r);
  const channels = tensor ? r.channels : 3;
  const fillOf = (c: number): number => {
    const v = value === 'random' ? normal(rng!) : typeof value === 'number' ? value : (value[c] ?? value[0] ?? 0);
    return tensor ? v : Math.min(255, Math.max(0, Math.round(v * 255)));
  };
  // Random fill is drawn in [C, h, w] order, as torch's normal_() on the patch.
  for (let c = 0; c < channels; c++) {
    const constant = value === 'random' ? 0 : fillOf(c);
    for (let y = rect.top; y < rect.top + rect.height; y++) {
      for (let x = rect.left; x < rect.left + rect.width; x++) {
        const at = tensor ? (c * r.height + y) * r.width + x : (y * r.width + x) * 3 + c;
        data[at] = value === 'random' ? fillOf(c) : constant;
      }
    }
  }
  return { ...r, data };
}

/** torchvision RandomErasing: with probability p, erase one sampled rectangle. Returns the raster and the rect (null if none). */
export function randomErasing<T extends Raster>(r: T, options: RandomErasingOptions): { raster: T; rect: Rect | null } {
  const p = options.p ?? 0.5;
  checkProbability('p', p);
  if (!(options.rng.next() < p)) return { raster: r, rect: null };
  const rect = sampleEraseRect(r.height, r.width, options);
  if (!rect) return { raster: r, rect: null };
  return { raster: erase(r, rect, options.value ?? 0, options.rng), rect };
}

/** Python 3's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

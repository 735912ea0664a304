import type { RandomStream } from '@smart/types';
import type { Rgb } from './raster';

/** A named colour of the synthetic task; names are what questions and options use. */
export interface NamedColour {
  name: string;
  rgb: Rgb;
}

/** Six colours far apart in RGB, so even a 64-px image keeps them distinguishable. */
export const PALETTE: readonly NamedColour[] = Object.freeze([
  { name: 'red', rgb: [220, 30, 30] },
  { name: 'green', rgb: [30, 160, 50] },
  { name: 'blue', rgb: [30, 70, 220] },
  { name: 'yellow', rgb: [235, 200, 20] },
  { name: 'purple', rgb: [140, 50, 180] },
  { name: 'black', rgb: [20, 20, 20] },
]);

/** `n` distinct palette colours in random order. */
export function pickColours(rng: RandomStream, n: number): NamedColour[] {
  return rng.shuffle(PALETTE).slice(0, n);
}

/** `a`, `a and b`, `a, b and c`. */
export function listPhrase(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

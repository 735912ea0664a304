import type { RandomStream } from '@smart/types';
import { fillCircle, fillConvexPolygon, regularPolygon, type Canvas, type Rgb } from './raster';

/** Shapes the synthetic images draw, with their number of sides (0 for the circle). */
export const SHAPE_SIDES = { circle: 0, triangle: 3, square: 4, pentagon: 5, hexagon: 6 } as const;

/** A shape name of the synthetic task. */
export type ShapeName = keyof typeof SHAPE_SIDES;

/** A shape placed on the canvas: centre, circumradius, colour. */
export interface PlacedShape {
  shape: ShapeName;
  x: number;
  y: number;
  r: number;
  rgb: Rgb;
}

/**
 * Random non-overlapping centres for discs of the given radii inside a `size`×`size` canvas
 * (rejection sampling, restarted a few times); null when they do not fit.
 */
export function placeDiscs(rng: RandomStream, size: number, radii: number[]): { x: number; y: number }[] | null {
  for (let restart = 0; restart < 20; restart++) {
    const placed: { x: number; y: number; r: number }[] = [];
    for (const r of radii) {
      const lo = Math.ceil(r) + 1;
      const span = size - 2 * lo;
      if (span <= 0) return null;
      const before = placed.length;
      for (let attempt = 0; attempt < 60; attempt++) {
        const x = lo + rng.int(span + 1);
        const y = lo + rng.int(span + 1);
        if (placed.every((p) => (p.x - x) ** 2 + (p.y - y) ** 2 >= (p.r + r + 2) ** 2)) {
          placed.push({ x, y, r });
          break;
        }
      }
      if (placed.length === before) break; // this one did not fit: start the layout over
    }
    if (placed.length === radii.length) return placed.map(({ x, y }) => ({ x, y }));
  }
  return null;
}

/** Radius that lets `n` shapes fit comfortably on a `size` canvas. */
export function radiusFor(size: number, n: number): number {
  return Math.max(3, Math.min(size * 0.13, (size * 0.3) / Math.sqrt(n + 1)));
}

/** Draws one shape (polygons point up; the square is axis-aligned). */
export function drawShape(c: Canvas, s: PlacedShape): void {
  if (s.shape === 'circle') return fillCircle(c, s.x, s.y, s.r, s.rgb);
  const sides = SHAPE_SIDES[s.shape];
  fillConvexPolygon(c, regularPolygon(s.x, s.y, s.r, sides, s.shape === 'square' ? Math.PI / 4 : 0), s.rgb);
}

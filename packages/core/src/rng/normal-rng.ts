import type { Rng } from '@smart/types';

/** An Rng that also draws standard normals, one at a time and in bulk (the noise kernel's hot path). */
export interface NormalRng extends Rng {
  /** One draw from N(0, 1). */
  normal(): number;
  /** Fills out[start..end) with i.i.d. N(0, 1) draws. */
  fillNormal(out: Float32Array | Float64Array, start?: number, end?: number): void;
  /**
   * Optional fused form: out[i] = a·x[i] + b·ε_i (b·ε_i when x is null), with ε_i the values fillNormal
   * would have drawn (as float32). Lets a noise kernel skip a pass over memory.
   */
  fillScaledNormal?(out: Float32Array | Float64Array, start: number, end: number, x: Float32Array | null, a: number, b: number): void;
}

/** True when `rng` can draw normals itself. */
export function isNormalRng(rng: Rng): rng is NormalRng {
  return typeof (rng as Partial<NormalRng>).fillNormal === 'function' && typeof (rng as Partial<NormalRng>).normal === 'function';
}

/**
 * Fills `out` with N(0, 1) draws taken from `rng`: its own sampler when it has one, otherwise
 * Box–Muller on its uniforms (both values of each pair used), so any caller-supplied Rng works.
 */
export function fillNormal(rng: Rng, out: Float32Array | Float64Array, start = 0, end = out.length): void {
  if (isNormalRng(rng)) {
    rng.fillNormal(out, start, end);
    return;
  }
  let i = start;
  for (; i + 1 < end; i += 2) {
    const [z0, z1] = boxMuller(rng);
    out[i] = z0;
    out[i + 1] = z1;
  }
  if (i < end) out[i] = boxMuller(rng)[0];
}

/** One N(0, 1) draw from any Rng. */
export function normal(rng: Rng): number {
  return isNormalRng(rng) ? rng.normal() : boxMuller(rng)[0];
}

function boxMuller(rng: Rng): [number, number] {
  // 1 - u keeps the log argument in (0, 1].
  const radius = Math.sqrt(-2 * Math.log(1 - rng.next()));
  const theta = 2 * Math.PI * rng.next();
  return [radius * Math.cos(theta), radius * Math.sin(theta)];
}

import { AugmentConfigError } from './errors';

/** Number of diffusion steps in the VCD / SeVa / SENA / SMART schedule. */
export const DIFFUSION_STEPS = 1000;

/** The noise step SMART uses for negative images (paper §4.1). */
export const DEFAULT_NOISE_STEP = 600;

/**
 * β_i = sigmoid(linspace(−6, 6, T)_i) · (5e−3 − 1e−5) + 1e−5, i = 0..T−1: the sigmoid schedule of the
 * VCD code (not DDPM's linear 1e−4..0.02). Float64 throughout; PyTorch's float32 version differs by < 2e−7.
 */
export function sigmoidBetaSchedule(steps = DIFFUSION_STEPS): Float64Array {
  if (!Number.isInteger(steps) || steps < 2) throw new AugmentConfigError('steps', steps, 'must be an integer ≥ 2');
  const betas = new Float64Array(steps);
  for (let i = 0; i < steps; i++) {
    const x = -6 + (12 * i) / (steps - 1);
    betas[i] = (1 / (1 + Math.exp(-x))) * (0.005 - 1e-5) + 1e-5;
  }
  return betas;
}

/** ᾱ_t = Π_{i=0..t} (1 − β_i): the zero-based inclusive product (ᾱ_600 multiplies 601 factors). */
export function alphaBars(steps = DIFFUSION_STEPS): Float64Array {
  const betas = sigmoidBetaSchedule(steps);
  const out = new Float64Array(steps);
  let prod = 1;
  for (let i = 0; i < steps; i++) {
    prod *= 1 - betas[i]!;
    out[i] = prod;
  }
  return out;
}

/** The two coefficients of x_t = a·x + b·ε at one step. */
export interface NoiseCoefficients {
  /** a = √ᾱ_t */
  signal: number;
  /** b = √(1 − ᾱ_t) */
  noise: number;
}

const ALPHA_BARS = alphaBars(DIFFUSION_STEPS);

/** √ᾱ_t and √(1 − ᾱ_t) of the T = 1000 sigmoid schedule at `step` ∈ [0, 999]. */
export function noiseCoefficients(step: number): NoiseCoefficients {
  if (!Number.isInteger(step) || step < 0 || step >= DIFFUSION_STEPS) {
    throw new AugmentConfigError('step', step, `must be an integer in [0, ${DIFFUSION_STEPS - 1}]`);
  }
  const alphaBar = ALPHA_BARS[step]!;
  return { signal: Math.sqrt(alphaBar), noise: Math.sqrt(1 - alphaBar) };
}

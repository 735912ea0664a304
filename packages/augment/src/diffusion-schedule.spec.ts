import { alphaBars, DIFFUSION_STEPS, noiseCoefficients, sigmoidBetaSchedule } from './diffusion-schedule';
import { AugmentConfigError } from './errors';

describe('sigmoid diffusion schedule', () => {
  it.each([
    [500, 0.8630171, 0.5051747],
    [600, 0.7342465, 0.678883],
    [800, 0.4670137, 0.8842501],
  ])('t=%i gives √ᾱ and √(1−ᾱ) of method.md to 1e-6', (t, a, b) => {
    const c = noiseCoefficients(t);
    expect(Math.abs(c.signal - a)).toBeLessThan(1e-6);
    expect(Math.abs(c.noise - b)).toBeLessThan(1e-6);
  });

  it('is the sigmoid schedule between 1e-5 and 5e-3, increasing, symmetric about the middle', () => {
    const betas = sigmoidBetaSchedule();
    expect(betas).toHaveLength(DIFFUSION_STEPS);
    const span = 0.005 - 1e-5;
    expect(betas[0]).toBeCloseTo(1e-5 + span / (1 + Math.exp(6)), 12);
    expect(betas[999]).toBeCloseTo(1e-5 + span / (1 + Math.exp(-6)), 12);
    for (let i = 1; i < betas.length; i++) expect(betas[i]!).toBeGreaterThan(betas[i - 1]!);
    // sigmoid(−x) + sigmoid(x) = 1
    expect(betas[10]! + betas[989]!).toBeCloseTo(2e-5 + span, 12);
  });

  it('takes the zero-based inclusive product (ᾱ_0 = 1 − β_0, ᾱ_1 = (1 − β_0)(1 − β_1))', () => {
    const betas = sigmoidBetaSchedule();
    const bars = alphaBars();
    expect(bars[0]).toBe(1 - betas[0]!);
    expect(bars[1]).toBe((1 - betas[0]!) * (1 - betas[1]!));
    expect(noiseCoefficients(0).signal ** 2).toBeCloseTo(1 - betas[0]!, 14);
    expect(noiseCoefficients(999).signal ** 2 + noiseCoefficients(999).noise ** 2).toBeCloseTo(1, 14);
  });

  it.each([-1, 1000, 600.5, Number.NaN])('rejects step %p', (step) => {
    expect(() => noiseCoefficients(step)).toThrow(AugmentConfigError);
  });
});

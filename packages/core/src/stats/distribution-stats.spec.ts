import { createRng } from '../rng/seeded-stream';
import { meanAndSe, quantizedNormalMoments } from './distribution-stats';

describe('quantizedNormalMoments', () => {
  it('is the rounded normal away from the edges: mean μ, variance σ² + 1/12 (Sheppard)', () => {
    const { mean, std } = quantizedNormalMoments(127.3, 9);
    expect(mean).toBeCloseTo(127.3, 4);
    expect(std).toBeCloseTo(Math.sqrt(81 + 1 / 12), 3);
  });

  it('puts the mass beyond an edge on that edge', () => {
    expect(quantizedNormalMoments(-500, 3)).toEqual({ mean: 0, std: 0 });
    const top = quantizedNormalMoments(255, 20); // half the mass clamps to 255
    expect(top.mean).toBeLessThan(255);
    expect(top.mean).toBeGreaterThan(255 - 20 * Math.sqrt(2 / Math.PI));
    expect(top.std).toBeLessThan(20);
  });

  it('matches a Monte Carlo of round(clamp(μ + σε)) at another level count', () => {
    const n = 200_000;
    const eps = new Float64Array(n);
    createRng(5).fillNormal(eps);
    let s1 = 0;
    let s2 = 0;
    for (const e of eps) {
      const v = Math.min(15, Math.max(0, Math.round(2 + 4 * e)));
      s1 += v;
      s2 += v * v;
    }
    const exact = quantizedNormalMoments(2, 4, 16);
    expect(Math.abs(s1 / n - exact.mean)).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(s2 / n - (s1 / n) ** 2) - exact.std)).toBeLessThan(0.03);
  });
});

describe('meanAndSe', () => {
  it('is the mean and its standard error (sample standard deviation / √n), the SE null below 2 values', () => {
    expect(meanAndSe([0.4, 0.5])).toEqual({ mean: 0.45, se: expect.closeTo(0.05, 12) });
    expect(meanAndSe([0.3])).toEqual({ mean: 0.3, se: null });
    expect(meanAndSe([])).toEqual({ mean: null, se: null });
  });
});

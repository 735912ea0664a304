import type { Rng } from '@smart/types';
import { AugmentConfigError } from '../errors';
import { ksCritical, ksStatistic, meanStd, normalCdf } from '../test-stats';
import { fillNormal } from './normal-rng';
import { SeededRng } from './seeded-rng';
import { buildZigguratTables, ZIGGURAT_R, ZIGGURAT_V } from './ziggurat-tables';

describe('SeededRng', () => {
  it('produces the xoshiro128** reference sequence from state [1, 2, 3, 4]', () => {
    const rng = SeededRng.fromState([1, 2, 3, 4]);
    const words = Array.from({ length: 6 }, () => rng.nextUint32());
    expect(words).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('gives the same bytes for the same seed and different ones for another', () => {
    const a = new Float32Array(1000);
    const b = new Float32Array(1000);
    const c = new Float32Array(1000);
    new SeededRng(7).fillNormal(a);
    new SeededRng(7).fillNormal(b);
    new SeededRng(8).fillNormal(c);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
    // The high half of a 53-bit seed matters too.
    expect(new SeededRng(2 ** 40).next()).not.toBe(new SeededRng(0).next());
  });

  it('resumes from a saved state', () => {
    const rng = new SeededRng(123);
    rng.next();
    const saved = rng.getState();
    const expected = [rng.next(), rng.normal(), rng.nextUint32()];
    const resumed = SeededRng.fromState(saved);
    expect([resumed.next(), resumed.normal(), resumed.nextUint32()]).toEqual(expected);
  });

  it('rejects non-integer seeds', () => {
    expect(() => new SeededRng(0.5)).toThrow(AugmentConfigError);
  });

  it('draws uniforms in [0, 1) with the uniform distribution', () => {
    const rng = new SeededRng(1);
    const n = 50_000;
    const u = Array.from({ length: n }, () => rng.next());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(ksStatistic(u, (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(ksCritical(n));
    const ints = Array.from({ length: 6000 }, () => rng.int(3, 6));
    for (const v of [3, 4, 5]) expect(Math.abs(ints.filter((x) => x === v).length - 2000)).toBeLessThan(5 * Math.sqrt(6000 * (1 / 3) * (2 / 3)));
    expect(new SeededRng(2).uniform(-2, -1)).toBeGreaterThanOrEqual(-2);
  });

  it('draws normals whose moments and CDF match N(0, 1)', () => {
    const n = 400_000;
    const z = new Float64Array(n);
    new SeededRng(99).fillNormal(z);
    const { mean, std } = meanStd(z);
    // 5 standard errors: mean SE = 1/√n, std SE ≈ 1/√(2n).
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(std - 1)).toBeLessThan(5 / Math.sqrt(2 * n));
    const sample = Array.from(z.subarray(0, 100_000));
    expect(ksStatistic(sample, normalCdf)).toBeLessThan(ksCritical(sample.length));
    // The tail beyond r comes from a separate sampler: its mass must be 2(1 − Φ(r)).
    const tail = z.filter((v) => Math.abs(v) > ZIGGURAT_R).length / n;
    const expected = 2 * (1 - normalCdf(ZIGGURAT_R));
    expect(Math.abs(tail - expected)).toBeLessThan(5 * Math.sqrt(expected / n));
  });

  it('fillNormal falls back to Box–Muller for a plain Rng', () => {
    const inner = new SeededRng(5);
    const plain: Rng = { next: () => inner.next() };
    const n = 100_001;
    const z = new Float32Array(n);
    fillNormal(plain, z);
    const { mean, std } = meanStd(z);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(std - 1)).toBeLessThan(5 / Math.sqrt(2 * n));
    expect(z[n - 1]).not.toBe(0);
  });
});

describe('ziggurat tables', () => {
  it('close up: the top layer has area v, thresholds and widths are monotone', () => {
    const t = buildZigguratTables();
    const x1 = t.topEdge;
    expect(x1 * (1 - Math.exp(-0.5 * x1 * x1))).toBeCloseTo(ZIGGURAT_V, 9);
    expect(t.fi[0]).toBe(1);
    for (let i = 2; i < 256; i++) {
      expect(t.wi[i]!).toBeGreaterThan(t.wi[i - 1]!);
      expect(t.fi[i]!).toBeLessThan(t.fi[i - 1]!);
    }
    expect(t.ki[1]).toBe(0);
  });
});

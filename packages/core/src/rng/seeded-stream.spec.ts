import type { Rng } from '@smart/types';
import { RngArgumentError, RngSeedError, RngStateError } from '../errors';
import { ksCritical, ksStatistic, meanStd, normalCdf } from '../stats/distribution-stats';
import { fillNormal } from './normal-rng';
import { createRng, RNG_ALGORITHM, type SeededStream } from './seeded-stream';
import { buildZigguratTables, ZIGGURAT_R, ZIGGURAT_V } from './ziggurat-tables';

function fromWords(words: number[]): SeededStream {
  const rng = createRng(0);
  rng.setState({ algorithm: RNG_ALGORITHM, words });
  return rng;
}

describe('createRng', () => {
  it('produces the xoshiro128** reference sequence from state [1, 2, 3, 4]', () => {
    const rng = fromWords([1, 2, 3, 4]);
    const words = Array.from({ length: 6 }, () => rng.nextUint32());
    expect(words).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('gives the same bytes for the same seed and different ones for another', () => {
    const a = new Float32Array(1000);
    const b = new Float32Array(1000);
    const c = new Float32Array(1000);
    createRng(7).fillNormal(a);
    createRng(7).fillNormal(b);
    createRng(8).fillNormal(c);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
    // The high half of a 53-bit seed matters too.
    expect(createRng(2 ** 40).next()).not.toBe(createRng(0).next());
    // String seeds are their own streams, not the number they spell.
    expect(createRng('7').next()).toBe(createRng('7').next());
    expect(createRng('7').next()).not.toBe(createRng(7).next());
  });

  it('resumes from a saved state, also through JSON', () => {
    const rng = createRng(123);
    rng.next();
    const saved = JSON.parse(JSON.stringify(rng.getState()));
    const expected = [rng.next(), rng.normal(), rng.nextUint32(), rng.int(1000)];
    const resumed = createRng(123);
    resumed.setState(saved);
    expect([resumed.next(), resumed.normal(), resumed.nextUint32(), resumed.int(1000)]).toEqual(expected);
    expect(saved).toEqual({ algorithm: RNG_ALGORITHM, words: expect.any(Array), spareNormal: null });
  });

  it('rejects bad seeds, states and arguments with typed errors', () => {
    expect(() => createRng(0.5)).toThrow(RngSeedError);
    expect(() => createRng('')).toThrow(RngSeedError);
    const rng = createRng(1);
    expect(() => rng.setState({ algorithm: 'mulberry32', words: [1] })).toThrow(RngStateError);
    expect(() => rng.setState({ algorithm: RNG_ALGORITHM, words: [1, 2, 3] })).toThrow(RngStateError);
    expect(() => rng.setState({ algorithm: RNG_ALGORITHM, words: [0, 0, 0, 0] })).toThrow(RngStateError);
    expect(() => rng.int(0)).toThrow(RngArgumentError);
    expect(() => rng.choice([])).toThrow(RngArgumentError);
  });

  it('draws uniforms in [0, 1) with the uniform distribution', () => {
    const rng = createRng(1);
    const n = 50_000;
    const u = Array.from({ length: n }, () => rng.next());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(ksStatistic(u, (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(ksCritical(n));
    const ints = Array.from({ length: 6000 }, () => 3 + rng.int(3));
    for (const v of [3, 4, 5]) expect(Math.abs(ints.filter((x) => x === v).length - 2000)).toBeLessThan(5 * Math.sqrt(6000 * (1 / 3) * (2 / 3)));
    expect(createRng(2).uniform(-2, -1)).toBeGreaterThanOrEqual(-2);
  });

  it('draws normals whose moments and CDF match N(0, 1)', () => {
    const n = 400_000;
    const z = new Float64Array(n);
    createRng(99).fillNormal(z);
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
    // One-at-a-time draws continue the bulk stream.
    const bulk = new Float32Array(3);
    createRng(5).fillNormal(bulk);
    const single = createRng(5);
    expect([single.normal(), single.normal(), single.normal()]).toEqual(Array.from(bulk));
  });

  it('fillNormal falls back to Box–Muller for a plain Rng', () => {
    const inner = createRng(5);
    const plain: Rng = { next: () => inner.next() };
    const n = 100_001;
    const z = new Float32Array(n);
    fillNormal(plain, z);
    const { mean, std } = meanStd(z);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(std - 1)).toBeLessThan(5 / Math.sqrt(2 * n));
    expect(z[n - 1]).not.toBe(0);
  });

  it('chooses and shuffles uniformly', () => {
    const rng = createRng('shuffle');
    const n = 12_000;
    const firsts = [0, 0, 0, 0];
    const picks = [0, 0, 0, 0];
    for (let k = 0; k < n; k++) {
      firsts[rng.shuffle([0, 1, 2, 3])[0]!]!++;
      picks[rng.choice([0, 1, 2, 3])]!++;
    }
    const tolerance = 5 * Math.sqrt(n * 0.25 * 0.75);
    for (const count of [...firsts, ...picks]) expect(Math.abs(count - n / 4)).toBeLessThan(tolerance);
    const items = [1, 2, 3, 4, 5];
    const shuffled = rng.shuffle(items);
    expect([...shuffled].sort()).toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('named sub-streams', () => {
  it('depend on the seed and the name, not on how much the parent was used', () => {
    const fresh = createRng(42).stream('augment/erase');
    const used = createRng(42);
    for (let i = 0; i < 1000; i++) used.next();
    const later = used.stream('augment/erase');
    expect(Array.from({ length: 5 }, () => later.next())).toEqual(Array.from({ length: 5 }, () => fresh.next()));
    // Deriving a sub-stream does not advance the parent.
    const a = createRng(42);
    const b = createRng(42);
    a.stream('x');
    expect(a.next()).toBe(b.next());
  });

  it('are distinct for distinct names, seeds and nesting, and uncorrelated with the parent', () => {
    const root = createRng(42);
    const firsts = [root, root.stream('a'), root.stream('b'), root.stream('a').stream('b'), root.stream('a/b'), createRng(43).stream('a'), createRng('42').stream('a')].map(
      (s) => s.nextUint32(),
    );
    expect(new Set(firsts).size).toBe(firsts.length);
    // Pearson correlation of parent and child uniforms over 20k draws is within 5 standard errors of 0.
    const parent = createRng(7);
    const child = parent.stream('child');
    const n = 20_000;
    const x = Float64Array.from({ length: n }, () => parent.next() - 0.5);
    const y = Float64Array.from({ length: n }, () => child.next() - 0.5);
    let xy = 0;
    for (let i = 0; i < n; i++) xy += x[i]! * y[i]!;
    expect(Math.abs(xy / n / (1 / 12))).toBeLessThan(5 / Math.sqrt(n));
  });

  it('draw normals with the same distribution as the root', () => {
    const z = new Float32Array(100_000);
    createRng(3).stream('noise').fillNormal(z);
    expect(ksStatistic(Array.from(z), normalCdf)).toBeLessThan(ksCritical(z.length));
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

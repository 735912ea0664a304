import { randInt, seededRng, shuffleInPlace } from './seeded-rng';

describe('seededRng', () => {
  it('repeats a sequence for the same seed and stream, and differs otherwise', () => {
    const take = (seed: number | string, stream?: string) => {
      const r = seededRng(seed, stream);
      return Array.from({ length: 8 }, () => r.next());
    };
    expect(take(1)).toEqual(take(1));
    expect(take(1)).not.toEqual(take(2));
    expect(take(1, 'train')).not.toEqual(take(1, 'test'));
    expect(take('1')).not.toEqual(take(1));
  });

  it('draws roughly uniform integers', () => {
    const r = seededRng(5);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[randInt(r, 4)]!++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(110); // ~4 sigma of Binomial(4000, 1/4)
    for (let i = 0; i < 1000; i++) expect(r.next()).toBeLessThan(1);
  });

  it('shuffles into a permutation', () => {
    const xs = Array.from({ length: 50 }, (_, i) => i);
    const s = shuffleInPlace([...xs], seededRng(3));
    expect(s).not.toEqual(xs);
    expect([...s].sort((a, b) => a - b)).toEqual(xs);
  });
});

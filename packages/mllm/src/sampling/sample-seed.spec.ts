import { sampleSeed } from './sample-seed';

describe('sampleSeed', () => {
  it('keeps the request seed for sample 0', () => {
    expect(sampleSeed(1234, 0)).toBe(1234);
  });

  it('gives distinct, deterministic seeds to later samples and neighbouring requests', () => {
    const seeds = new Set<number>();
    for (let s = 0; s < 50; s++) for (let k = 0; k < 8; k++) seeds.add(sampleSeed(s, k));
    expect(seeds.size).toBe(400);
    expect(sampleSeed(5, 3)).toBe(sampleSeed(5, 3));
    expect(sampleSeed(1, 1)).not.toBe(2);
  });
});

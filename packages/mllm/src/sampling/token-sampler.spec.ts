import { referenceKeptTokens } from '../../test/reference-sampler';
import { seededRng } from '../../test/seeded-rng';
import { argmax, TokenSampler, type TokenSamplingParams } from './token-sampler';

const probs = [0.5, 0.25, 0.125, 0.125];
const logits = Float32Array.from(probs, Math.log);
const DRAWS = 20_000;

function frequencies(params: TokenSamplingParams, seed = 7): number[] {
  const rng = seededRng(seed);
  const sampler = new TokenSampler();
  const counts = new Array<number>(probs.length).fill(0);
  for (let i = 0; i < DRAWS; i++) counts[sampler.sample(logits, params, rng)]!++;
  return counts.map((c) => c / DRAWS);
}

// Binomial standard error at n = 20 000 is at most 0.0036; 0.015 is a > 4-sigma band.
const TOL = 0.015;

describe('TokenSampler draws', () => {
  it('top-p restricts the sampled set and renormalizes over it', () => {
    const f = frequencies({ temperature: 1, topP: 0.75, topK: 0 });
    expect(f[2]).toBe(0);
    expect(f[3]).toBe(0);
    expect(Math.abs(f[0]! - 2 / 3)).toBeLessThan(TOL);
    expect(Math.abs(f[1]! - 1 / 3)).toBeLessThan(TOL);
  });

  it('samples every token at its probability without top-p', () => {
    const f = frequencies({ temperature: 1, topP: 1, topK: 0 });
    f.forEach((x, i) => expect(Math.abs(x - probs[i]!)).toBeLessThan(TOL));
  });

  it('applies temperature before the nucleus (T = 0.5 squares the probabilities)', () => {
    // p^2 = [1/4, 1/16, 1/64, 1/64], total 11/32 → [8/11, 2/11, 1/22, 1/22]
    const f = frequencies({ temperature: 0.5, topP: 1, topK: 0 });
    [8 / 11, 2 / 11, 1 / 22, 1 / 22].forEach((p, i) => expect(Math.abs(f[i]! - p)).toBeLessThan(TOL));
    // At T = 0.5 the top two already hold 10/11 of the mass, so top-p 0.9 keeps only them.
    const g = frequencies({ temperature: 0.5, topP: 0.9, topK: 0 });
    expect(g[2]! + g[3]!).toBe(0);
    expect(Math.abs(g[0]! - 0.8)).toBeLessThan(TOL);
  });

  it('applies top-k before top-p', () => {
    const f = frequencies({ temperature: 1, topP: 1, topK: 3 });
    expect(f[3]).toBe(0);
    [4 / 7, 2 / 7, 1 / 7].forEach((p, i) => expect(Math.abs(f[i]! - p)).toBeLessThan(TOL));
  });

  it('is greedy at temperature 0 and draws nothing from the rng', () => {
    const rng = seededRng(1);
    expect(new TokenSampler().sample(Float32Array.from([0, 2, 1]), { temperature: 0, topP: 0.9, topK: 0 }, rng)).toBe(1);
    expect(rng.draws).toBe(0);
  });

  it('draws exactly one number per token and reproduces with the same seed', () => {
    const params = { temperature: 0.7, topP: 0.9, topK: 0 };
    const sampler = new TokenSampler();
    const a = seededRng(42);
    const b = seededRng(42);
    const seqA = Array.from({ length: 50 }, () => sampler.sample(logits, params, a));
    const seqB = Array.from({ length: 50 }, () => sampler.sample(logits, params, b));
    expect(seqA).toEqual(seqB);
    expect(a.draws).toBe(50);
    expect(new Set(seqA).size).toBeGreaterThan(1);
  });

  it('never draws -Infinity or NaN logits, and falls back to argmax when nothing is finite', () => {
    const sampler = new TokenSampler();
    const rng = seededRng(3);
    const row = Float32Array.from([-Infinity, 0, NaN, 0]);
    const seen = new Set(Array.from({ length: 200 }, () => sampler.sample(row, { temperature: 1, topP: 1, topK: 0 }, rng)));
    expect([...seen].sort()).toEqual([1, 3]);
    expect(sampler.sample(Float32Array.from([-Infinity, -Infinity]), { temperature: 1, topP: 1, topK: 0 }, rng)).toBe(0);
  });
});

// Probabilities 1/2, 1/4, 1/8, 1/16, 1/16 placed at shuffled indices.
const nucleusProbs = [0.0625, 0.25, 0.0625, 0.5, 0.125];
const shifted = () => Float32Array.from(nucleusProbs, (p) => Math.log(p) + 3); // a shift must not matter
const kept = (row: ArrayLike<number>, topP: number, topK = 0, temperature = 1) => new TokenSampler().keptTokens(row, { temperature, topP, topK });

describe('TokenSampler kept sets', () => {
  it('keeps exactly the smallest set reaching top-p at an exact boundary', () => {
    expect(kept(shifted(), 0.75)).toEqual([3, 1]);
    expect(kept(shifted(), 0.5)).toEqual([3]);
    expect(kept(shifted(), 0.875)).toEqual([3, 1, 4]);
  });

  it('adds the next token as soon as top-p exceeds the boundary mass', () => {
    expect(kept(shifted(), 0.7501)).toEqual([3, 1, 4]);
    expect(kept(shifted(), 0.5001)).toEqual([3, 1]);
    expect(kept(shifted(), 0.9)).toEqual([3, 1, 4, 0]);
  });

  it('always keeps the most probable token, orders equal logits by index, and breaks top-k ties by index', () => {
    expect(kept(shifted(), 1e-9)).toEqual([3]);
    expect(kept(Float32Array.from([1, 2, 2, 0]), 1)).toEqual([1, 2, 0, 3]);
    expect(kept(Float32Array.from([1, 1, 1]), 1, 2)).toEqual([0, 1]);
    expect(kept(Float32Array.from([0.5, 3, -1, 2, 2.5]), 1, 2)).toEqual([1, 4]);
  });

  it('treats top-k 0 and k >= vocabulary as off', () => {
    expect(kept(Float32Array.from([1, 2, 3]), 1, 0)).toEqual([2, 1, 0]);
    expect(kept(Float32Array.from([1, 2, 3]), 1, 50)).toEqual([2, 1, 0]);
  });

  it('equals the sort-the-vocabulary oracle on random rows (flat, peaked, Zipf-like, with ties and -Infinity), short rows and long ones in turn', () => {
    const rng = seededRng(11);
    const sampler = new TokenSampler();
    const shapes: Record<string, (i: number) => number> = {
      flat: () => rng.next() * 0.5,
      peaked: (i) => (i % 97 === 0 ? 12 + rng.next() : rng.next() * 4),
      zipf: (i) => -1.1 * Math.log(1 + ((i * 7919) % 5000)) + rng.next() * 0.3,
      ties: () => Math.floor(rng.next() * 6),
      masked: (i) => (i % 3 === 0 ? -Infinity : rng.next() * 10),
      wide: () => rng.next() * 80 - 40,
      nan: (i) => (i % 7 === 3 ? NaN : rng.next() * 6),
    };
    let compared = 0;
    for (const [name, draw] of Object.entries(shapes)) {
      for (const vocab of [7, 300, 5000, 12_000, 300]) {
        const row = Float32Array.from({ length: vocab }, (_, i) => draw(i));
        for (const params of [
          { temperature: 0.7, topP: 0.9, topK: 0 },
          { temperature: 1, topP: 0.5, topK: 40 },
          { temperature: 1.3, topP: 1, topK: 5 },
          { temperature: 0.2, topP: 0.99, topK: 0 },
          { temperature: 1, topP: 1, topK: 0 },
        ]) {
          expect({ name, vocab, params, kept: sampler.keptTokens(row, params) }).toEqual({ name, vocab, params, kept: referenceKeptTokens(row, params) });
          compared++;
        }
      }
    }
    expect(compared).toBe(175);
  });
});

it('keeps the same sets on long rows given as float64 or as plain arrays (counted without the kernel)', () => {
  const rng = seededRng(17);
  const row = Float32Array.from({ length: 20_000 }, (_, i) => -1.1 * Math.log(1 + ((i * 7919) % 20_000)) + rng.next() * 0.3);
  const sampler = new TokenSampler();
  for (const params of [{ temperature: 0.7, topP: 0.9, topK: 0 }, { temperature: 1, topP: 0.5, topK: 40 }]) {
    const want = referenceKeptTokens(row, params);
    expect(sampler.keptTokens(row, params)).toEqual(want);
    expect(sampler.keptTokens(Float64Array.from(row), params)).toEqual(want);
    expect(sampler.keptTokens(Array.from(row), params)).toEqual(want);
    expect(sampler.keptTokens(row.subarray(0, 300), params)).toEqual(referenceKeptTokens(row.subarray(0, 300), params));
  }
});

it('finds a nucleus that reaches far below the top token (past the tokens the count pass collects)', () => {
  const rng = seededRng(5);
  // One token 8.75 nats above a plateau of 5,000: it holds 56% of the mass, so top-p 0.9 reaches ~9 nats down.
  const row = Float32Array.from({ length: 5001 }, (_, i) => (i === 3 ? 13 : 4 + rng.next() * 0.5));
  const params = { temperature: 1, topP: 0.9, topK: 0 };
  const kept = new TokenSampler().keptTokens(row, params);
  expect(kept.length).toBeGreaterThan(1000);
  expect(kept).toEqual(referenceKeptTokens(row, params));
});

describe('argmax', () => {
  it('picks the first maximum', () => {
    expect(argmax([1, 3, 3, 2])).toBe(1);
  });
});

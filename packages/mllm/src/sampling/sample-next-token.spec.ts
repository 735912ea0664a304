import { seededRng } from '../../test/seeded-rng';
import { argmax, forceToken, sampleNextToken, type TokenSamplingParams } from './sample-next-token';

const probs = [0.5, 0.25, 0.125, 0.125];
const logits = Float32Array.from(probs, Math.log);
const DRAWS = 20_000;

function frequencies(params: TokenSamplingParams, seed = 7): number[] {
  const rng = seededRng(seed);
  const counts = new Array<number>(probs.length).fill(0);
  for (let i = 0; i < DRAWS; i++) counts[sampleNextToken(logits, params, rng)]!++;
  return counts.map((c) => c / DRAWS);
}

// Binomial standard error at n = 20 000 is at most 0.0036; 0.015 is a > 4-sigma band.
const TOL = 0.015;

describe('sampleNextToken', () => {
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
    expect(sampleNextToken(Float32Array.from([0, 2, 1]), { temperature: 0, topP: 0.9, topK: 0 }, rng)).toBe(1);
    expect(rng.draws).toBe(0);
  });

  it('draws exactly one number per token and reproduces with the same seed', () => {
    const params = { temperature: 0.7, topP: 0.9, topK: 0 };
    const a = seededRng(42);
    const b = seededRng(42);
    const seqA = Array.from({ length: 50 }, () => sampleNextToken(logits, params, a));
    const seqB = Array.from({ length: 50 }, () => sampleNextToken(logits, params, b));
    expect(seqA).toEqual(seqB);
    expect(a.draws).toBe(50);
    expect(new Set(seqA).size).toBeGreaterThan(1);
  });
});

describe('argmax / forceToken', () => {
  it('picks the first maximum and writes a one-hot row', () => {
    expect(argmax([1, 3, 3, 2])).toBe(1);
    const row = Float32Array.from([5, 6, 7]);
    forceToken(row, 0);
    expect(Array.from(row)).toEqual([0, -Infinity, -Infinity]);
    expect(argmax(row)).toBe(0);
  });
});

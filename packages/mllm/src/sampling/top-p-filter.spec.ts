import { maskAllBut, sortedByLogit, topPFilter, topPKeep } from './top-p-filter';

// Probabilities 1/2, 1/4, 1/8, 1/16, 1/16 placed at shuffled indices.
const probs = [0.0625, 0.25, 0.0625, 0.5, 0.125];
const logits = () => Float32Array.from(probs, (p) => Math.log(p) + 3); // a shift must not matter

describe('topPKeep', () => {
  it('keeps exactly the smallest set reaching top-p at an exact boundary', () => {
    expect(topPKeep(logits(), 0.75)).toEqual([3, 1]);
    expect(topPKeep(logits(), 0.5)).toEqual([3]);
    expect(topPKeep(logits(), 0.875)).toEqual([3, 1, 4]);
  });

  it('adds the next token as soon as top-p exceeds the boundary mass', () => {
    expect(topPKeep(logits(), 0.7501)).toEqual([3, 1, 4]);
    expect(topPKeep(logits(), 0.5001)).toEqual([3, 1]);
    expect(topPKeep(logits(), 0.9)).toEqual([3, 1, 4, 0]);
  });

  it('always keeps the most probable token, and orders equal logits by index', () => {
    expect(topPKeep(logits(), 1e-6)).toEqual([3]);
    expect(topPKeep(Float32Array.from([1, 2, 2, 0]), 1)).toEqual([1, 2, 0, 3]);
  });

  it('ignores -Infinity logits', () => {
    expect(topPKeep(Float32Array.from([-Infinity, 0, -Infinity, 0]), 1)).toEqual([1, 3]);
  });
});

describe('topPFilter', () => {
  it('masks everything outside the nucleus to -Infinity and leaves kept logits untouched', () => {
    const x = logits();
    const before = Array.from(x);
    expect(topPFilter(x, 0.75)).toBe(2);
    expect(Array.from(x)).toEqual([-Infinity, before[1], -Infinity, before[3], -Infinity]);
  });

  it('is a no-op at top-p 1', () => {
    const x = logits();
    expect(topPFilter(x, 1)).toBe(5);
    expect(Array.from(x)).toEqual(Array.from(logits()));
  });
});

describe('helpers', () => {
  it('sorts by descending logit and masks the rest', () => {
    expect(sortedByLogit([0.1, 5, -2, 5])).toEqual([1, 3, 0, 2]);
    const x = new Float64Array([1, 2, 3]);
    maskAllBut(x, [2]);
    expect(Array.from(x)).toEqual([-Infinity, -Infinity, 3]);
  });
});

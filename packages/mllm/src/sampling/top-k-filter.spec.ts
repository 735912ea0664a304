import { topKFilter } from './top-k-filter';

describe('topKFilter', () => {
  it('keeps the k largest logits', () => {
    const x = Float32Array.from([0.5, 3, -1, 2, 2.5]);
    expect(topKFilter(x, 2)).toBe(2);
    expect(Array.from(x)).toEqual([-Infinity, 3, -Infinity, -Infinity, 2.5]);
  });

  it('breaks ties by lower index', () => {
    const x = Float32Array.from([1, 1, 1]);
    topKFilter(x, 2);
    expect(Array.from(x)).toEqual([1, 1, -Infinity]);
  });

  it('treats 0 and k >= vocabulary as off', () => {
    const x = Float32Array.from([1, 2, 3]);
    expect(topKFilter(x, 0)).toBe(3);
    expect(topKFilter(x, 3)).toBe(3);
    expect(topKFilter(x, 50)).toBe(3);
    expect(Array.from(x)).toEqual([1, 2, 3]);
  });
});

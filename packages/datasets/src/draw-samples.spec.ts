import { drawExcluding, drawIteration, drawOrder } from './draw-samples';
import { DrawExhaustedError } from './errors';

const pool = Array.from({ length: 100 }, (_, i) => `s${String(i).padStart(3, '0')}`);

describe('sample draws', () => {
  it('gives 3 iterations disjoint draws that are reproducible and input-order independent', () => {
    const draws = [0, 1, 2].map((iteration) => drawIteration(pool, { seed: 11, iteration, size: 30 }));
    for (const d of draws) expect(new Set(d).size).toBe(30);
    const all = draws.flat();
    expect(new Set(all).size).toBe(90);
    for (const id of all) expect(pool).toContain(id);
    expect(drawIteration([...pool].reverse(), { seed: 11, iteration: 1, size: 30 })).toEqual(draws[1]);
    expect(drawIteration(pool, { seed: 12, iteration: 0, size: 30 })).not.toEqual(draws[0]);
    // not just the pool order sliced
    expect(draws[0]).not.toEqual(pool.slice(0, 30));
  });

  it('supports a different size per iteration and stays disjoint', () => {
    const sizes = [10, 25, 40];
    const draws = sizes.map((_, iteration) => drawIteration(pool, { seed: 'run-a', iteration, size: sizes }));
    expect(draws.map((d) => d.length)).toEqual(sizes);
    expect(new Set(draws.flat()).size).toBe(75);
    expect(draws.flat()).toEqual(drawOrder(pool, 'run-a').slice(0, 75));
  });

  it('drawExcluding matches the sliced draws and stays disjoint when the pool grows', () => {
    const d0 = drawIteration(pool, { seed: 3, iteration: 0, size: 20 });
    const d1 = drawIteration(pool, { seed: 3, iteration: 1, size: 20 });
    expect(drawExcluding(pool, { seed: 3, count: 20, exclude: d0 })).toEqual(d1);
    const bigger = [...pool, ...Array.from({ length: 50 }, (_, i) => `t${i}`)];
    const used = new Set([...d0, ...d1]);
    const d2 = drawExcluding(bigger, { seed: 3, count: 60, exclude: used });
    expect(d2).toHaveLength(60);
    for (const id of d2) expect(used.has(id)).toBe(false);
    expect(new Set(d2).size).toBe(60);
  });

  it('throws DrawExhaustedError when the pool runs out', () => {
    expect(() => drawIteration(pool, { seed: 1, iteration: 3, size: 30 })).toThrow(DrawExhaustedError);
    let caught: unknown;
    try {
      drawIteration(pool, { seed: 1, iteration: 3, size: 30 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ requested: 30, available: 10, iteration: 3 });
    expect(() => drawExcluding(pool, { seed: 1, count: 11, exclude: pool.slice(0, 90) })).toThrow(/only 10 unused/);
    expect(() => drawIteration(pool, { seed: 1, iteration: 2, size: [10, 10] })).toThrow(RangeError);
  });
});

import { KvBatch } from './kv-batch';

const geometry = { arrays: 2, kvHeads: 2, headDim: 1 };
/** A one-row cache whose value at (array a, head h, position p) is 100a + 10h + p + base. */
const row = (length: number, base: number) =>
  KvBatch.prefilled(
    geometry,
    [0, 1].map((a) => Float32Array.from({ length: 2 * length }, (_, i) => 100 * a + 10 * Math.floor(i / length) + (i % length) + base)),
    [length],
  );

describe('KvBatch', () => {
  it('left-pads rows of different lengths into one batch, real positions at the right end', () => {
    const batch = KvBatch.gather(geometry, [
      { source: row(3, 0), row: 0 },
      { source: row(1, 1000), row: 0 },
    ]);
    expect(batch.length).toBe(3);
    expect(batch.lengths).toEqual([3, 1]);
    // array 0: row 0 heads 0,1 = [0 1 2], [10 11 12]; row 1 = [pad pad 1000], [pad pad 1010]
    expect(Array.from(batch.arrays[0]!)).toEqual([0, 1, 2, 10, 11, 12, 0, 0, 1000, 0, 0, 1010]);
    expect(Array.from(batch.arrays[1]!)).toEqual([100, 101, 102, 110, 111, 112, 0, 0, 1100, 0, 0, 1110]);
    expect(Array.from(batch.stepMask())).toEqual([1n, 1n, 1n, 1n, 0n, 0n, 1n, 1n]);
    expect(Array.from(batch.stepPositions())).toEqual([3n, 1n]);
    // M-RoPE: [3, B, 1], each row's length plus its rope delta on every axis.
    expect(Array.from(batch.stepPositions([-2, 0], 3))).toEqual([1n, 1n, 1n, 1n, 1n, 1n]);
    expect(Array.from(batch.stepPositions([-1, 4], 3))).toEqual([2n, 5n, 2n, 5n, 2n, 5n]);
  });

  it('adopts present tensors after a step and trims the common padding when the long row leaves', () => {
    const batch = KvBatch.gather(geometry, [
      { source: row(3, 0), row: 0 },
      { source: row(1, 1000), row: 0 },
    ]);
    // A step appends one position per row: value 7 for row 0, 8 for row 1.
    const present = batch.arrays.map((a) => {
      const out = new Float32Array(2 * 2 * 4);
      for (let r = 0; r < 2; r++) for (let h = 0; h < 2; h++) {
        out.set(a.subarray((r * 2 + h) * 3, (r * 2 + h + 1) * 3), (r * 2 + h) * 4);
        out[(r * 2 + h) * 4 + 3] = 7 + r;
      }
      return out;
    });
    const next = batch.advance(present);
    expect(next.arrays[0]).toBe(present[0]);
    expect(next.lengths).toEqual([4, 2]);
    const short = KvBatch.gather(geometry, [{ source: next, row: 1 }]);
    expect(short.length).toBe(2);
    expect(Array.from(short.arrays[0]!)).toEqual([1000, 8, 1010, 8]);
    expect(Array.from(short.stepMask())).toEqual([1n, 1n, 1n]);
  });
});

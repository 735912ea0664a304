import { BatchShapeError } from '../errors';
import { collateRows } from './collate-batch';

const IMG = 9;
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ ids: [IMG, 10 + i, 20], promptLength: 2 }));
/** Flattened patches of one image: `count` rows of width 4, every value `v`. */
const patches = (count: number, v: number, gridThw: [number, number, number]) => ({ data: new Float32Array(count * 4).fill(v), shape: [count, 4], gridThw });

describe('collateRows images', () => {
  it('joins Qwen2-VL patches of different counts along the patch axis, one grid row per image in row order', () => {
    const b = collateRows(rows(3), 0, [patches(24, 1, [1, 4, 6]), undefined, patches(16, 2, [1, 4, 4])]);
    expect(b.pixelShape).toEqual([40, 4]);
    expect(b.imageGridThw).toEqual([
      [1, 4, 6],
      [1, 4, 4],
    ]);
    expect([b.pixelValues![0], b.pixelValues![24 * 4 - 1], b.pixelValues![24 * 4], b.pixelValues![40 * 4 - 1]]).toEqual([1, 1, 2, 2]);
  });

  it('refuses a patch count that is not its grid, mixed patch and image tensors, and LLaVA tensors of several images', () => {
    expect(() => collateRows(rows(1), 0, [patches(20, 1, [1, 4, 6])])).toThrow(/20 patches, its grid \[1,4,6\] 24/);
    const image = { data: new Float32Array(4), shape: [1, 4] };
    expect(() => collateRows(rows(2), 0, [patches(4, 1, [1, 2, 2]), image])).toThrow(BatchShapeError);
    expect(() => collateRows(rows(1), 0, [{ data: new Float32Array(24), shape: [2, 3, 2, 2] }])).toThrow(/one image per tensor/);
  });
});

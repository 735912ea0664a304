import { mropeRows } from './mrope-positions';

const tokens = { imageTokenId: 9, visionStartTokenId: 8, spatialMergeSize: 2 };

describe('mropeRows', () => {
  it('gives text one position on all axes and an image its (t, row, column) grid, then resumes past the largest', () => {
    // text, text, <|vision_start|>, 4 image tokens (grid 1 × 4 × 4 merged by 2 → 2 × 2), <|vision_end|>, text
    const ids = [1, 2, 8, 9, 9, 9, 9, 7, 3];
    const r = mropeRows(tokens, ids, [[1, 4, 4]]);
    expect(r.rows).toEqual([
      [0, 1, 2, 3, 3, 3, 3, 5, 6],
      [0, 1, 2, 3, 3, 4, 4, 5, 6],
      [0, 1, 2, 3, 4, 3, 4, 5, 6],
    ]);
    expect([r.next, r.images]).toEqual([7, 1]);
  });

  it('advances the temporal axis per frame and uses the grids in order', () => {
    const ids = [8, 9, 9, 1, 8, 9, 9, 9, 9];
    const r = mropeRows(tokens, ids, [[2, 2, 2], [1, 2, 8], [5, 5, 5]]);
    // image 1: t = 2 frames of 1 × 1 → temporal 1, 2; image 2: 1 × 1 × 4 → columns 0..3
    expect(r.rows[0]).toEqual([0, 1, 2, 3, 4, 5, 5, 5, 5]);
    expect(r.rows[2]).toEqual([0, 1, 1, 3, 4, 5, 6, 7, 8]);
    expect([r.next, r.images]).toEqual([9, 2]);
  });

  it('is plain 0..L−1 without images and names the sequence when images and grids disagree', () => {
    expect(mropeRows(tokens, [4, 5, 6], [])).toEqual({ rows: [[0, 1, 2], [0, 1, 2], [0, 1, 2]], next: 3, images: 0 });
    expect(() => mropeRows(tokens, [8, 9], [], 'row 3')).toThrow(new RangeError('row 3 has more images than its 0 grid_thw rows'));
    expect(() => mropeRows(tokens, [8, 9, 9], [[1, 4, 4]], 'the prompt')).toThrow(/the prompt has fewer image tokens than its grid_thw rows give \(5 > 3 tokens\)/);
  });
});

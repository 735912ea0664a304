import { add, cast, concat, cumSum, div, gather, greater, mul, range, reduceSum, sub, unsqueeze, type Value } from '@smart/onnx-graph';
import { dimOf } from '../layers/dim-of';

/** Where each flattened patch sits: its frame (for block-diagonal attention) and its row/column (2-D RoPE). */
export interface PatchPositions {
  /** [N] int64: the index of the frame's first patch — equal for patches of the same frame, distinct otherwise. */
  frame: Value;
  /** [N, 2] int64: (row, column) of each patch in its frame's patch grid. */
  rowCol: Value;
}

/**
 * Patch coordinates from `grid_thw` [I, 3] (t, h, w per image, in patches) for N flattened patches, computed in the
 * graph because transformers.js's vision_encoder receives only pixels and grid_thw. Patches arrive image by image,
 * frame by frame, and within a frame in 2×2 merge blocks (Qwen2VLImageProcessor's permute), so patch k of a frame
 * is block k / m², offset k mod m² — HF's `rot_pos_emb` reshape/permute of row and column ids, inverted.
 */
export function patchPositions(gridThw: Value, patchCount: Value, mergeSize: number): PatchPositions {
  const g = gridThw.graph;
  const i64 = (v: number) => g.scalar(v, 'int64');
  const col = (j: number) => gather(gridThw, i64(j), 1); // [I]
  const [t, h, w] = [col(0), col(1), col(2)];
  const frameSize = mul(h, w); // [I]
  const sizes = mul(t, frameSize); // [I] patches per image
  const ends = cumSum(sizes); // [I]
  const starts = sub(ends, sizes);
  const n = range(i64(0), patchCount, i64(1)); // [N]
  // Image of patch n: how many images end at or before it.
  const after = greater(unsqueeze(add(n, 1), [1]), unsqueeze(ends, [0])); // [N, I]
  const image = cast(reduceSum(cast(after, 'float32'), [1], false), 'int64'); // [N]
  const local = sub(n, gather(starts, image, 0)); // [N] index within the image
  const fs = gather(frameSize, image, 0);
  const frameIndex = div(local, fs);
  const inFrame = sub(local, mul(frameIndex, fs)); // [N]
  const m = mergeSize;
  const blocksPerRow = div(gather(w, image, 0), m); // [N] merged columns
  const block = div(inFrame, m * m);
  const within = sub(inFrame, mul(block, m * m));
  const blockRow = div(block, blocksPerRow);
  const blockCol = sub(block, mul(blockRow, blocksPerRow));
  const subRow = div(within, m);
  const subCol = sub(within, mul(subRow, m));
  const row = add(mul(blockRow, m), subRow); // [N]
  const column = add(mul(blockCol, m), subCol);
  return {
    frame: add(gather(starts, image, 0), mul(frameIndex, fs)),
    rowCol: concat([unsqueeze(row, [1]), unsqueeze(column, [1])], 1), // [N, 2]
  };
}

/** The patch count N of flattened patches [N, C·T·p·p]. */
export function patchCountOf(pixelValues: Value): Value {
  return dimOf(pixelValues, 0);
}

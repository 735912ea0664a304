import { mropeRows } from '@smart/core';
import type { Qwen2VlConfig } from './qwen2-vl-config';

/** M-RoPE position ids of a batch: `positionIds` [3, B, S] row-major (temporal, height, width) and per-row deltas. */
export interface RopeIndex {
  positionIds: BigInt64Array; // [3, B, S]
  /** max position + 1 − S per row [B]: a decode step at absolute index k uses position k + delta on all three axes. */
  deltas: number[];
  shape: [3, number, number];
}

/**
 * HF `Qwen2VLForConditionalGeneration.get_rope_index` for images (Wang et al. 2024, §2.1 M-RoPE): text tokens
 * advance all three axes together; an image's t·(h/m)·(w/m) tokens, found after each `<|vision_start|>`, take
 * (start + t, start + row, start + column); text after it resumes at the largest position + 1. Padding
 * (attention mask 0) is skipped and gets position 1, as in HF. `gridThw` lists the batch's images in order.
 */
export function qwen2VlRopeIndex(config: Qwen2VlConfig, inputIds: number[][], gridThw: readonly (readonly number[])[], attentionMask?: number[][]): RopeIndex {
  const B = inputIds.length;
  const S = inputIds[0]?.length ?? 0;
  const out = new BigInt64Array(3 * B * S).fill(1n);
  const tokens = { imageTokenId: config.image_token_id, visionStartTokenId: config.vision_start_token_id, spatialMergeSize: config.vision.spatial_merge_size };
  const deltas: number[] = [];
  let image = 0;
  for (let b = 0; b < B; b++) {
    const keep = inputIds[b]!.map((_, s) => (attentionMask ? attentionMask[b]![s] === 1 : true));
    const ids = inputIds[b]!.filter((_, s) => keep[s]);
    const { rows, next, images } = mropeRows(tokens, ids, gridThw.slice(image), `row ${b}`);
    image += images;
    let c = 0;
    for (let s = 0; s < S; s++) {
      if (!keep[s]) continue;
      for (let r = 0; r < 3; r++) out[(r * B + b) * S + s] = BigInt(rows[r]![c]!);
      c++;
    }
    deltas.push(next - S);
  }
  return { positionIds: out, deltas, shape: [3, B, S] };
}

import type { BatchRows } from './model-family';

/** 1-D RoPE positions of a batch, HF style: each row's real tokens count from 0 (mask cumsum − 1), padding clamped to 0 → [B, S]. */
export function textPositionIds(batch: BatchRows): { data: BigInt64Array; shape: number[] } {
  const B = batch.inputIds.length;
  const S = batch.inputIds[0]?.length ?? 0;
  const data = new BigInt64Array(B * S);
  batch.attentionMask.forEach((row, b) => {
    let c = -1;
    row.forEach((m, s) => {
      c += m;
      data[b * S + s] = BigInt(Math.max(c, 0));
    });
  });
  return { data, shape: [B, S] };
}

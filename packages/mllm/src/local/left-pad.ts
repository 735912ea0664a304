/** A left-padded batch of token rows: input_ids and attention_mask, both int64 [B, L] row-major. */
export interface LeftPaddedBatch {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  batchSize: number;
  length: number;
}

/**
 * Left-pads token rows to a common length. Decoder-only generation appends on the right, so padding
 * must sit on the left with mask 0 there; every row's real tokens end at column L-1.
 */
export function leftPad(rows: readonly (readonly bigint[])[], padId: bigint): LeftPaddedBatch {
  const length = Math.max(0, ...rows.map((r) => r.length));
  const inputIds = new BigInt64Array(rows.length * length).fill(padId);
  const attentionMask = new BigInt64Array(rows.length * length);
  rows.forEach((row, b) => {
    const offset = b * length + (length - row.length);
    inputIds.set(row, offset);
    attentionMask.fill(1n, offset, (b + 1) * length);
  });
  return { inputIds, attentionMask, batchSize: rows.length, length };
}

import * as ort from 'onnxruntime-node';

/** An int64 [rows, cols] tensor from a batch of number rows (ids, masks, positions). */
export function int64Rows(rows: number[][]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [rows.length, rows[0]!.length]);
}

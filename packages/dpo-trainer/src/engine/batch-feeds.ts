import { familyOf, type ModelConfig } from '@smart/models';
import * as ort from 'onnxruntime-node';
import { BatchShapeError } from '../errors';
import type { TokenBatch } from './types';

/** Token rows of a [rows, seqLen] int64 buffer as numbers (what the family's position ids read). */
function rowsOf(a: BigInt64Array, rows: number, seqLen: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from(a.subarray(r * seqLen, (r + 1) * seqLen), Number));
}

/** The batch's position ids with their shape: given ([rows, S] or [3, rows, S]), else the family's for the rows and image grids. */
function positionsOf(b: TokenBatch, config: ModelConfig): { data: BigInt64Array; shape: number[] } {
  const n = b.rows * b.seqLen;
  if (b.positionIds) {
    if (b.positionIds.length === n) return { data: b.positionIds, shape: [b.rows, b.seqLen] };
    if (b.positionIds.length === 3 * n) return { data: b.positionIds, shape: [3, b.rows, b.seqLen] };
    throw new BatchShapeError('positionIds', `${b.positionIds.length} values for ${b.rows} × ${b.seqLen} (or 3 × that)`);
  }
  return familyOf(config).positionIds(config, {
    inputIds: rowsOf(b.inputIds, b.rows, b.seqLen),
    attentionMask: rowsOf(b.attentionMask, b.rows, b.seqLen),
    ...(b.imageGridThw ? { gridThw: b.imageGridThw } : {}),
  });
}

/** ORT feeds for the token and image inputs shared by the training and eval graphs. */
export function batchFeeds(b: TokenBatch, config: ModelConfig, images: 'pixels' | 'features' | 'none', dtype: 'float32' | 'float64'): Record<string, ort.Tensor> {
  const n = b.rows * b.seqLen;
  if (!(b.rows > 0 && b.seqLen > 1)) throw new BatchShapeError('rows', `need rows ≥ 1 and seqLen ≥ 2, got ${b.rows} × ${b.seqLen}`);
  for (const [field, a] of [['inputIds', b.inputIds], ['attentionMask', b.attentionMask], ['completionMask', b.completionMask]] as const) {
    if (a.length !== n) throw new BatchShapeError(field, `${a.length} values for ${b.rows} × ${b.seqLen}`);
  }
  const shape = [b.rows, b.seqLen];
  const positions = positionsOf(b, config);
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', b.inputIds, shape),
    attention_mask: new ort.Tensor('int64', b.attentionMask, shape),
    position_ids: new ort.Tensor('int64', positions.data, positions.shape),
    completion_mask: new ort.Tensor('int64', b.completionMask, shape),
  };
  if (images === 'none') return feeds;
  if (!b.pixelValues || !b.pixelShape) throw new BatchShapeError('pixelValues', `the engine was built with images '${images}'`);
  const size = b.pixelShape.reduce((x, y) => x * y, 1);
  if (b.pixelValues.length !== size) throw new BatchShapeError('pixelValues', `${b.pixelValues.length} values for shape [${b.pixelShape}]`);
  const want = dtype === 'float64' ? Float64Array : Float32Array;
  const data = b.pixelValues instanceof want ? b.pixelValues : want.from(b.pixelValues);
  feeds[images === 'pixels' ? 'pixel_values' : 'image_features'] = new ort.Tensor(dtype, data, b.pixelShape);
  if (b.imageGridThw && images === 'pixels') {
    feeds['image_grid_thw'] = new ort.Tensor('int64', BigInt64Array.from(b.imageGridThw.flat(), BigInt), [b.imageGridThw.length, 3]);
  }
  return feeds;
}

import * as ort from 'onnxruntime-node';
import { BatchShapeError } from '../errors';
import type { TokenBatch } from './types';

/** ORT feeds for the token and image inputs shared by the training and eval graphs. */
export function batchFeeds(b: TokenBatch, images: 'pixels' | 'features' | 'none', dtype: 'float32' | 'float64'): Record<string, ort.Tensor> {
  const n = b.rows * b.seqLen;
  if (!(b.rows > 0 && b.seqLen > 1)) throw new BatchShapeError('rows', `need rows ≥ 1 and seqLen ≥ 2, got ${b.rows} × ${b.seqLen}`);
  for (const [field, a] of [['inputIds', b.inputIds], ['attentionMask', b.attentionMask], ['completionMask', b.completionMask], ['positionIds', b.positionIds]] as const) {
    if (a && a.length !== n) throw new BatchShapeError(field, `${a.length} values for ${b.rows} × ${b.seqLen}`);
  }
  const shape = [b.rows, b.seqLen];
  const positions = b.positionIds ?? BigInt64Array.from({ length: n }, (_, i) => BigInt(i % b.seqLen));
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', b.inputIds, shape),
    attention_mask: new ort.Tensor('int64', b.attentionMask, shape),
    position_ids: new ort.Tensor('int64', positions, shape),
    completion_mask: new ort.Tensor('int64', b.completionMask, shape),
  };
  if (images === 'none') return feeds;
  if (!b.pixelValues || !b.pixelShape) throw new BatchShapeError('pixelValues', `the engine was built with images '${images}'`);
  const size = b.pixelShape.reduce((x, y) => x * y, 1);
  if (b.pixelValues.length !== size) throw new BatchShapeError('pixelValues', `${b.pixelValues.length} values for shape [${b.pixelShape}]`);
  const want = dtype === 'float64' ? Float64Array : Float32Array;
  const data = b.pixelValues instanceof want ? b.pixelValues : want.from(b.pixelValues);
  feeds[images === 'pixels' ? 'pixel_values' : 'image_features'] = new ort.Tensor(dtype, data, b.pixelShape);
  return feeds;
}

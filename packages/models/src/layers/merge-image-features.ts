import { cast, concat, cumSum, equal, gather, mul, reshape, shapeOf, sub, unsqueeze, where, type Value } from '@smart/onnx-graph';

/**
 * Puts image features into the image-token positions, in reading order (HF LLaVA semantics):
 * embeds [B, S, H], inputIds [B, S], features [B_img, N, H] → [B, S, H].
 * The k-th image token (row-major over the batch) takes the k-th feature row; others keep their embedding.
 */
export function mergeImageFeatures(embeds: Value, inputIds: Value, features: Value, imageTokenId: number): Value {
  const g = embeds.graph;
  const H = embeds.shape[2] as number;
  const flatMask = reshape(cast(equal(inputIds, g.scalar(imageTokenId, 'int64')), 'int64'), [-1]); // [B·S]
  // Index of each image token among all image tokens: cumsum − 1, zeroed for text tokens.
  const index = mul(sub(cumSum(flatMask), 1), flatMask);
  const rows = reshape(features, [-1, H]); // [B_img·N, H]
  // A zero row keeps Gather in range when a batch has text tokens only.
  const padded = concat([rows, g.constant(rows.dtype, [1, H], new Array<number>(H).fill(0))], 0);
  const picked = gather(padded, index, 0); // [B·S, H]
  const merged = where(unsqueeze(cast(flatMask, 'bool'), [-1]), picked, reshape(embeds, [-1, H]));
  return reshape(merged, shapeOf(embeds)); // [B, S, H]
}

import type { EncodedPixels } from '@smart/types';
import type { PreferenceBatch, SftBatch, TokenBatch } from '../engine/types';
import { BatchShapeError } from '../errors';
import type { EncodedPair, EncodedSftRow, ReferenceLogProbs, TokenRow } from './examples';

/** Right-pads rows as TRL's collator (pad id, attention 0); completion mask 1 on each row's completion (the labels). */
export function collateRows(rows: readonly TokenRow[], padTokenId: number, images: readonly (EncodedPixels | undefined)[] = []): TokenBatch {
  const seqLen = Math.max(...rows.map((r) => r.ids.length));
  const n = rows.length * seqLen;
  const inputIds = new BigInt64Array(n).fill(BigInt(padTokenId));
  const attentionMask = new BigInt64Array(n);
  const completionMask = new BigInt64Array(n);
  rows.forEach((r, i) => {
    r.ids.forEach((id, t) => {
      inputIds[i * seqLen + t] = BigInt(id);
      attentionMask[i * seqLen + t] = 1n;
      if (t >= r.promptLength) completionMask[i * seqLen + t] = 1n;
    });
  });
  const batch: TokenBatch = { rows: rows.length, seqLen, inputIds, attentionMask, completionMask };
  const present = images.filter((p): p is EncodedPixels => p !== undefined);
  if (present.length === 0) return batch;
  return { ...batch, ...joinImages(present) };
}

/**
 * The batch's images joined along the first axis: LLaVA's [1, 3, H, W] each → [num_images, 3, H, W]; Qwen2-VL's
 * flattened patches [patches_i, C·T·p·p] (a count per image size) → [Σ patches_i, C·T·p·p] with one grid row each.
 */
function joinImages(images: readonly EncodedPixels[]): Pick<TokenBatch, 'pixelValues' | 'pixelShape' | 'imageGridThw'> {
  const per = images[0]!.shape.slice(1);
  const grids = images[0]!.gridThw !== undefined;
  images.forEach((p, i) => {
    if (p.shape.length !== per.length + 1 || p.shape.slice(1).some((d, k) => d !== per[k]) || (p.gridThw !== undefined) !== grids)
      throw new BatchShapeError('pixel_values', `image ${i} has shape [${p.shape}], the batch's first [·, ${per}]${grids ? ' with a grid' : ''}: one processor must encode every image`);
    const patches = p.gridThw ? p.gridThw[0] * p.gridThw[1] * p.gridThw[2] : 1;
    if (grids && p.shape[0] !== patches) throw new BatchShapeError('pixel_values', `image ${i} has ${p.shape[0]} patches, its grid [${p.gridThw}] ${patches}`);
    if (!grids && p.shape[0] !== 1) throw new BatchShapeError('pixel_values', `image ${i} has shape [${p.shape}]: one image per tensor, [1, ${per}]`);
  });
  const rows = images.reduce((n, p) => n + p.shape[0]!, 0);
  const size = per.reduce((a, b) => a * b, 1);
  const pixelValues = new Float32Array(rows * size);
  let offset = 0;
  for (const p of images) {
    pixelValues.set(p.data, offset);
    offset += p.data.length;
  }
  return { pixelValues, pixelShape: [rows, ...per], ...(grids ? { imageGridThw: images.map((p) => p.gridThw!) } : {}) };
}

/**
 * A DPO micro-batch of N pairs: 2N rows, chosen rows then rejected rows in pair order (TRL's concatenated
 * forward); each row carries its pair's image; `refLogProbs` [2N] from the pairs' reference log-probs.
 */
export function collatePairs(pairs: readonly EncodedPair[], references: readonly ReferenceLogProbs[] | null, padTokenId: number): PreferenceBatch {
  const rows = [...pairs.map((p) => p.chosen), ...pairs.map((p) => p.rejected)];
  const images = [...pairs, ...pairs].map((p) => p.pixelValues);
  const refLogProbs = new Float64Array(rows.length);
  references?.forEach((r, i) => {
    refLogProbs[i] = r.chosen;
    refLogProbs[pairs.length + i] = r.rejected;
  });
  return { ...collateRows(rows, padTokenId, images), refLogProbs };
}

/** An SFT micro-batch: right-padded rows, completion tokens as labels. */
export function collateSft(rows: readonly EncodedSftRow[], padTokenId: number): SftBatch {
  return collateRows(
    rows.map((r) => r.row),
    padTokenId,
    rows.map((r) => r.pixelValues),
  );
}

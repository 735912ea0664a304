/**
 * How a vision processor laid out the pixel tensor it hands the model, so a transform on that tensor
 * (the negatives' diffusion noise) can address each image or duplicated frame.
 * - `images`: `[batch, channels, height, width]` (CLIP / SigLIP processors: LLaVA family).
 * - `patches`: `[gridT·gridH·gridW, channels·temporalPatchSize·patchSize²]` (Qwen2-VL): each still image is
 *   repeated `temporalPatchSize` times as frames, then cut into patches; rows run over
 *   (t, h/merge, w/merge, merge, merge) and columns over (channel, frame, patch y, patch x), as
 *   `Qwen2VLImageProcessor` permutes them.
 */
export type PixelLayout =
  | { kind: 'images'; batch: number; channels: number; height: number; width: number }
  | { kind: 'patches'; gridT: number; gridH: number; gridW: number; channels: number; temporalPatchSize: number; patchSize: number; mergeSize: number };

/** A model's pixel tensor (normalized, as its vision encoder receives it) with its layout. */
export interface ModelPixels {
  data: Float32Array;
  layout: PixelLayout;
}

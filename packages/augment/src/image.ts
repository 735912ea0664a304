import { ImageShapeError } from './errors';

/** An 8-bit RGB image, rows top to bottom, interleaved: data[(y·width + x)·3 + c]. What codecs produce. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array; // [H, W, 3]
}

/** A float tensor in channel-major layout, data[(c·height + y)·width + x]. What a vision model consumes. */
export interface ChwTensor {
  channels: number;
  height: number;
  width: number;
  data: Float32Array; // [C, H, W]
}

/** A rectangle in pixel coordinates: rows top..top+height−1, columns left..left+width−1. */
export interface Rect {
  top: number;
  left: number;
  height: number;
  width: number;
}

/** Either pixel layout the geometric augmentations accept. */
export type Raster = RgbImage | ChwTensor;

/** True for the float [C, H, W] layout. */
export function isChwTensor(r: Raster): r is ChwTensor {
  return (r as ChwTensor).channels !== undefined && r.data instanceof Float32Array;
}

/** Checks that data holds exactly width·height·channels values. */
export function assertShape(r: Raster): void {
  const channels = isChwTensor(r) ? r.channels : 3;
  const expected = r.width * r.height * channels;
  if (!Number.isInteger(r.width) || !Number.isInteger(r.height) || r.width < 0 || r.height < 0 || r.data.length !== expected) {
    throw new ImageShapeError(expected, r.data.length, `${isChwTensor(r) ? 'tensor' : 'image'} ${r.width}x${r.height}x${channels}`);
  }
}

/** An RGB image as a [3, H, W] float tensor in [0, 1] (torchvision's to_tensor). */
export function toChwTensor(img: RgbImage): ChwTensor {
  assertShape(img);
  const plane = img.width * img.height;
  const data = new Float32Array(3 * plane);
  const src = img.data;
  for (let p = 0, s = 0; p < plane; p++, s += 3) {
    data[p] = src[s]! / 255;
    data[plane + p] = src[s + 1]! / 255;
    data[2 * plane + p] = src[s + 2]! / 255;
  }
  return { channels: 3, height: img.height, width: img.width, data };
}

/** A [3, H, W] tensor in [0, 1] back to 8-bit RGB: clamped to [0, 1], then rounded to the nearest level. */
export function fromChwTensor(t: ChwTensor): RgbImage {
  assertShape(t);
  if (t.channels !== 3) throw new ImageShapeError(3 * t.width * t.height, t.data.length, `tensor with ${t.channels} channels (need 3)`);
  const plane = t.width * t.height;
  const data = new Uint8Array(3 * plane);
  const src = t.data;
  for (let p = 0, d = 0; p < plane; p++, d += 3) {
    data[d] = quantize(src[p]!);
    data[d + 1] = quantize(src[plane + p]!);
    data[d + 2] = quantize(src[2 * plane + p]!);
  }
  return { width: t.width, height: t.height, data };
}

/** (x − mean_c) / std_c per channel, in a new tensor (a processor's normalize step; mean/std are the model's, e.g. from @smart/models). */
export function normalizeTensor(t: ChwTensor, mean: readonly number[], std: readonly number[]): ChwTensor {
  assertShape(t);
  const plane = t.width * t.height;
  const data = new Float32Array(t.data.length);
  for (let c = 0; c < t.channels; c++) {
    const m = mean[c]!;
    const inv = 1 / std[c]!;
    for (let p = c * plane, end = p + plane; p < end; p++) data[p] = (t.data[p]! - m) * inv;
  }
  return { ...t, data };
}

// Uint8Array assignment truncates, so add 0.5 after clamping to round half up.
function quantize(v: number): number {
  return v <= 0 ? 0 : v >= 1 ? 255 : v * 255 + 0.5;
}

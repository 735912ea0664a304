import { createRng } from '@smart/core';
import { flattenPatches } from '../src/qwen2-vl/flatten-patches';
import type { Qwen2VlConfig } from '../src/qwen2-vl/qwen2-vl-config';

/** A normalized image [3, H, W] of smooth values in about [−2, 2], deterministic from `seed`. */
export function testImage(height: number, width: number, seed: number): Float32Array {
  const rng = createRng(seed).stream('image');
  const phase = [rng.next(), rng.next(), rng.next()].map((x) => x * 6);
  return Float32Array.from({ length: 3 * height * width }, (_, i) => {
    const c = Math.floor(i / (height * width));
    const y = Math.floor(i / width) % height;
    const x = i % width;
    return 1.8 * Math.sin(0.7 * x + 0.45 * y + phase[c]!) * Math.cos(0.3 * y - phase[c]!);
  });
}

/** Token rows with one image each, `<|vision_start|>` + image pads + `<|vision_end|>` inside text; row pads on the left. */
export function imageRows(config: Qwen2VlConfig, spec: { pad: number; before: number; imageTokens: number }[], seqLen: number, padId: number) {
  const ids: number[][] = [];
  const mask: number[][] = [];
  spec.forEach(({ pad, before, imageTokens }, b) => {
    const row: number[] = Array(pad).fill(padId);
    for (let k = 0; k < before; k++) row.push(40 + ((11 * k + 7 * b) % 80));
    row.push(config.vision_start_token_id, ...Array(imageTokens).fill(config.image_token_id), config.vision_end_token_id);
    while (row.length < seqLen) row.push(33 + ((5 * row.length + 13 * b) % 90));
    ids.push(row);
    mask.push(row.map((_, s) => (s < pad ? 0 : 1)));
  });
  return { ids, mask };
}

/** Flattened patches and grid rows of several images, concatenated in order. */
export function patchBatch(config: Qwen2VlConfig, images: { height: number; width: number; data: Float32Array }[]) {
  const flat = images.map((im) => flattenPatches(config, im.data, im.height, im.width));
  const total = flat.reduce((n, f) => n + f.data.length, 0);
  const data = new Float32Array(total);
  let o = 0;
  for (const f of flat) {
    data.set(f.data, o);
    o += f.data.length;
  }
  return { data, rows: data.length / config.vision.patch_dim, gridThw: flat.map((f) => f.gridThw) };
}

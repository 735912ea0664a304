import type { Qwen2VlConfig } from './qwen2-vl-config';

/** One image as the Qwen2-VL vision tower takes it. */
export interface FlattenedPatches {
  /** [gh·gw, C·T·p·p] row-major: patches in 2×2 merge-block order, each (channel, frame, row, column). */
  data: Float32Array;
  /** [t, h, w] in patches: `image_grid_thw`'s row for this image (t = 1 for a still image). */
  gridThw: [number, number, number];
}

/**
 * Qwen2VLImageProcessor's patchification after resize and normalization: the image [C, H, W] is repeated over the
 * T = temporal_patch_size frames of one temporal patch, cut into p×p patches, and listed by 2×2 merge block
 * (HF's reshape to [t, T, C, h/m, m, p, w/m, m, p] and permute (0, 3, 6, 4, 7, 2, 1, 5, 8)). `frames` gives the T
 * frames explicitly (e.g. each with its own noise); by default every frame is `image`. H and W must be multiples of p·m.
 */
export function flattenPatches(config: Qwen2VlConfig, image: Float32Array, height: number, width: number, frames?: readonly Float32Array[]): FlattenedPatches {
  const { patch_size: p, temporal_patch_size: T, spatial_merge_size: m, in_channels: C } = config.vision;
  if (height % (p * m) !== 0 || width % (p * m) !== 0) throw new RangeError(`${height}×${width} is not a multiple of ${p * m} (patch × merge)`);
  const src = frames ?? Array.from({ length: T }, () => image);
  if (src.length !== T) throw new RangeError(`${src.length} frames given, temporal_patch_size is ${T}`);
  const [gh, gw] = [height / p, width / p];
  const dim = C * T * p * p;
  const data = new Float32Array(gh * gw * dim);
  let o = 0;
  for (let hb = 0; hb < gh / m; hb++)
    for (let wb = 0; wb < gw / m; wb++)
      for (let mh = 0; mh < m; mh++)
        for (let mw = 0; mw < m; mw++) {
          const [row, col] = [hb * m + mh, wb * m + mw];
          for (let c = 0; c < C; c++)
            for (let t = 0; t < T; t++)
              for (let y = 0; y < p; y++) {
                const base = (c * height + row * p + y) * width + col * p;
                data.set(src[t]!.subarray(base, base + p), o);
                o += p;
              }
        }
  return { data, gridThw: [1, gh, gw] };
}

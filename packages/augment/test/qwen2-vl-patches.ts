import type { ModelPixels } from '@smart/types';
import type { ChwTensor } from '../src/image';

/**
 * Qwen2VLImageProcessor's layout of one still image, written out loop by loop from its
 * view(gridT, T, C, gh/M, M, P, gw/M, M, P).permute(0, 3, 6, 4, 7, 2, 1, 5, 8): the image repeated T
 * times as frames, then patches. `frames` gives each copy's values (default: the image itself each time).
 */
export function qwen2VlPatches(image: ChwTensor, o: { temporalPatchSize: number; patchSize: number; mergeSize: number; frames?: ChwTensor[] }): ModelPixels {
  const { temporalPatchSize: T, patchSize: P, mergeSize: M } = o;
  const { channels: C, height: H, width: W } = image;
  const frames = o.frames ?? Array.from({ length: T }, () => image);
  const gridH = H / P;
  const gridW = W / P;
  const data = new Float32Array(C * T * H * W);
  let i = 0;
  for (let bh = 0; bh < gridH / M; bh++)
    for (let bw = 0; bw < gridW / M; bw++)
      for (let mh = 0; mh < M; mh++)
        for (let mw = 0; mw < M; mw++)
          for (let c = 0; c < C; c++)
            for (let t = 0; t < T; t++)
              for (let py = 0; py < P; py++)
                for (let px = 0; px < P; px++) {
                  const y = (bh * M + mh) * P + py;
                  const x = (bw * M + mw) * P + px;
                  data[i++] = frames[t]!.data[(c * H + y) * W + x]!;
                }
  return { data, layout: { kind: 'patches', gridT: 1, gridH, gridW, channels: C, temporalPatchSize: T, patchSize: P, mergeSize: M } };
}

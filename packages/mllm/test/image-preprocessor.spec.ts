import { DEFAULT_SAMPLING, type ImageInput } from '@smart/types';
import { ModelLoadError } from '../src/errors';
import { createImagePreprocessor, type RgbPixels } from '../src/local/image-preprocessor';
import { TransformersJsGenerator } from '../src/local/transformers-js-generator';
import type { TjsLibrary, TjsProcessor, TjsTensor } from '../src/local/transformers-js-surface';
import { realLibrary, recordingLibrary } from './recording-library';
import { describeWithTinyVlm } from './tiny-vlm-fixture';

const image = (w: number, h: number): RgbPixels => ({ width: w, height: h, data: Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 37) % 256) });

describeWithTinyVlm('createImagePreprocessor on the tiny VLM', (folder) => {
  it('gives the tensor the local generator feeds the vision encoder, and a tensor image reaches it unchanged', async () => {
    const fed: Float32Array[] = [];
    const library = recordingLibrary((session, feeds) => {
      if (session === 'vision_encoder') fed.push(Float32Array.from(feeds.pixel_values!.data as Float32Array));
    });
    const generator = await TransformersJsGenerator.load({ modelPath: folder(), batchSize: 1, threads: 1, library });
    try {
      const preprocess = await createImagePreprocessor(folder());
      const img = image(23, 17);
      const pixels = await preprocess(img);
      expect(pixels.layout).toMatchObject({ kind: 'images', batch: 1, channels: 3 });
      const sampling = { ...DEFAULT_SAMPLING, maxNewTokens: 1, seed: 1 };
      await generator.generate([{ id: 'rgb', prompt: 'x', image: { kind: 'rgb', ...img }, sampling }]);
      expect(Array.from(fed[0]!)).toEqual(Array.from(pixels.data));

      const { channels, height, width } = pixels.layout as { channels: number; height: number; width: number };
      const shifted = pixels.data.map((v, i) => v + Math.sin(i) * 3); // e.g. unclamped noise far outside the pixel range
      const tensor: ImageInput = { kind: 'tensor', data: shifted, shape: [channels, height, width] };
      await generator.generate([{ id: 'tensor', prompt: 'x', image: tensor, sampling }]);
      expect(Array.from(fed[1]!)).toEqual(Array.from(shifted));
    } finally {
      await generator.close();
    }
  });
});

describe('createImagePreprocessor layouts', () => {
  const tensor = (data: ArrayLike<number | bigint>, dims: number[]) => ({ data, dims, type: 'float32' }) as unknown as TjsTensor;
  const qwenLike = (dims: number[], grid: number[]): TjsProcessor =>
    Object.assign(Object.create(null) as TjsProcessor, {
      image_processor: Object.assign(async () => ({ pixel_values: tensor(new Float32Array(dims[0]! * dims[1]!), dims), image_grid_thw: tensor(BigInt64Array.from(grid.map(BigInt)), [1, 3]) }), {
        config: { temporal_patch_size: 2, patch_size: 14, merge_size: 2 },
      }),
    });
  const library = { RawImage: realLibrary.RawImage } as TjsLibrary;

  it("reads the library's real Qwen2VLImageProcessor: [patches, C·T·P·P] with its grid, the two frames duplicated", async () => {
    const Qwen2VLImageProcessor = (realLibrary as unknown as { Qwen2VLImageProcessor: new (config: Record<string, unknown>) => unknown }).Qwen2VLImageProcessor;
    const config = { do_resize: true, do_rescale: true, rescale_factor: 1 / 255, do_normalize: true, image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5], min_pixels: 56 * 56, max_pixels: 28 * 28 * 64, patch_size: 14, temporal_patch_size: 2, merge_size: 2, do_convert_rgb: true, resample: 3 };
    const preprocess = await createImagePreprocessor({ image_processor: new Qwen2VLImageProcessor(config) } as unknown as TjsProcessor, { library });
    const { data, layout } = await preprocess(image(60, 45));
    expect(layout).toEqual({ kind: 'patches', gridT: 1, gridH: 4, gridW: 4, channels: 3, temporalPatchSize: 2, patchSize: 14, mergeSize: 2 });
    // Columns run over (channel, frame, py, px): each row holds frame 0's 14×14 values, then frame 1's copy.
    const P2 = 14 * 14;
    for (const row of [0, 7, 15]) {
      for (let c = 0; c < 3; c++) {
        const at = row * 3 * 2 * P2 + c * 2 * P2;
        expect(Array.from(data.subarray(at, at + P2))).toEqual(Array.from(data.subarray(at + P2, at + 2 * P2)));
      }
    }
  });

  it('reads Qwen2-VL patches (duplicated frames) with their grid', async () => {
    const preprocess = await createImagePreprocessor(qwenLike([8, 3 * 2 * 14 * 14], [1, 2, 4]), { library });
    const { layout } = await preprocess(image(4, 4));
    expect(layout).toEqual({ kind: 'patches', gridT: 1, gridH: 2, gridW: 4, channels: 3, temporalPatchSize: 2, patchSize: 14, mergeSize: 2 });
  });

  it('refuses a patch tensor that does not match its grid, and a processor without an image processor', async () => {
    const preprocess = await createImagePreprocessor(qwenLike([6, 3 * 2 * 14 * 14], [1, 2, 4]), { library });
    await expect(preprocess(image(4, 4))).rejects.toThrow(ModelLoadError);
    await expect(createImagePreprocessor({} as TjsProcessor, { library })).rejects.toThrow(ModelLoadError);
  });
});

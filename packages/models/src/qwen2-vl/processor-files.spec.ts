import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { completeQwen2VlPreprocessorConfig } from './processor-files';
import { readQwen2VlConfig } from './read-config';

describe('Qwen2-VL preprocessor_config.json', () => {
  it("completes the published file with the switches transformers.js needs, keeping the file's own values", () => {
    const folder = join(__dirname, '../../test/fixtures/qwen2-vl/Qwen2-VL-7B-Instruct');
    const published = JSON.parse(readFileSync(join(folder, 'preprocessor_config.json'), 'utf8'));
    expect(published['do_normalize']).toBeUndefined();
    const done = completeQwen2VlPreprocessorConfig(readQwen2VlConfig(folder), { ...published, max_pixels: 1003520 });
    expect(done).toMatchObject({
      do_resize: true,
      do_rescale: true,
      do_normalize: true,
      resample: 3,
      min_pixels: 3136,
      max_pixels: 1003520,
      size: { shortest_edge: 3136, longest_edge: 1003520 },
      patch_size: 14,
      temporal_patch_size: 2,
      merge_size: 2,
      image_mean: published.image_mean,
    });
  });

  it('takes the pixel bounds from size.shortest_edge / longest_edge when a file has no min_pixels / max_pixels', () => {
    const folder = join(__dirname, '../../test/fixtures/qwen2-vl/Qwen2-VL-2B-Instruct');
    const done = completeQwen2VlPreprocessorConfig(readQwen2VlConfig(folder), { size: { shortest_edge: 6272, longest_edge: 50176 }, image_processor_type: 'Qwen2VLImageProcessor' });
    expect(done).toMatchObject({ min_pixels: 6272, max_pixels: 50176, size: { shortest_edge: 6272, longest_edge: 50176 } });
  });
});

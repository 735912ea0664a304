import { AutoProcessor, env, RawImage } from '@huggingface/transformers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyQwen2VlSetup, type TinyQwen2VlSetup } from './qwen2-vl-setup';

env.allowRemoteModels = false;
env.useFSCache = false;

describe("mllm's PromptEncoder on a Qwen2-VL folder", () => {
  jest.setTimeout(60_000);
  let dir: string;
  let setup: TinyQwen2VlSetup;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dpo-qwen-enc-'));
    setup = await tinyQwen2VlSetup(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("gives the ids, flattened patches and grid of transformers.js's Qwen2VLProcessor, per image size", async () => {
    const processor = await AutoProcessor.from_pretrained(setup.model.modelDir);
    const grids: number[][] = [];
    for (const pair of setup.pairs.slice(0, 3)) {
      const image = pair.image as { kind: 'rgb'; width: number; height: number; data: Uint8Array };
      const encoded = await setup.encoder.encode({ id: pair.id, prompt: pair.prompt, image });
      const text = processor.apply_chat_template([{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: pair.prompt }] }], { add_generation_prompt: true }) as string;
      const ref = await processor(text, new RawImage(image.data, image.width, image.height, 3));
      expect(encoded.inputIds).toEqual(Array.from(ref.input_ids.data as BigInt64Array, Number));
      expect(encoded.pixelValues!.shape).toEqual(ref.pixel_values.dims);
      expect(Buffer.from(encoded.pixelValues!.data.buffer).equals(Buffer.from((ref.pixel_values.data as Float32Array).buffer))).toBe(true);
      expect(encoded.pixelValues!.gridThw).toEqual(Array.from(ref.image_grid_thw.data as BigInt64Array, Number));
      const [t, h, w] = encoded.pixelValues!.gridThw!;
      expect(encoded.imageTokenCount).toBe((t * h * w) / 4);
      expect(encoded.inputIds.filter((id) => id === setup.model.imageTokenId)).toHaveLength(encoded.imageTokenCount);
      grids.push(encoded.pixelValues!.gridThw!);
    }
    expect(grids).toEqual([
      [1, 4, 6],
      [1, 4, 4],
      [1, 2, 8],
    ]);
  });
});

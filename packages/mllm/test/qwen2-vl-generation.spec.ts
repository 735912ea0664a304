import { Qwen2VLForConditionalGeneration, Tensor } from '@huggingface/transformers';
import { qwen2VlRopeIndex } from '@smart/models';
import { DEFAULT_SAMPLING, type GenerationRequest, type ImageInput } from '@smart/types';
import { InvalidRequestError } from '../src/errors';
import { createImagePreprocessor, tensorImage } from '../src/local/image-preprocessor';
import { TransformersJsGenerator } from '../src/local/transformers-js-generator';
import { mropePositions } from '../src/local/mrope-positions';
import { recordingLibrary } from './recording-library';
import { describeWithTinyQwen2Vl } from './tiny-qwen2-vl-fixture';

const rgb = (w: number, h: number, seed: number) => ({ kind: 'rgb' as const, width: w, height: h, data: Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 31 + seed * 17) % 256) });
const greedy = (maxNewTokens: number) => ({ ...DEFAULT_SAMPLING, temperature: 0, maxNewTokens, seed: 1 });

describeWithTinyQwen2Vl('TransformersJsGenerator on a tiny Qwen2-VL', (model) => {
  jest.setTimeout(120_000);
  let single: TransformersJsGenerator;
  let batched: TransformersJsGenerator;
  let pair: TransformersJsGenerator;
  let reference: Awaited<ReturnType<typeof Qwen2VLForConditionalGeneration.from_pretrained>>;
  const visionGrids: number[][] = [];
  const decodeRows: number[] = [];
  beforeAll(async () => {
    const folder = model().modelDir;
    single = await TransformersJsGenerator.load({ modelPath: folder, batchSize: 1, threads: 1 });
    batched = await TransformersJsGenerator.load({ modelPath: folder, batchSize: 8, threads: 1 });
    const library = recordingLibrary((session, feeds) => {
      if (session === 'vision_encoder') visionGrids.push(Array.from(feeds.grid_thw!.data as BigInt64Array, Number));
      if (session === 'decoder_model_merged' && feeds.inputs_embeds!.dims[1] === 1) decodeRows.push(feeds.inputs_embeds!.dims[0]!);
    });
    pair = await TransformersJsGenerator.load({ modelPath: folder, batchSize: 2, threads: 1, library });
    reference = await Qwen2VLForConditionalGeneration.from_pretrained(folder, { dtype: 'fp32', device: 'cpu' });
  });
  afterAll(async () => {
    await single?.close();
    await batched?.close();
    await pair?.close();
    await reference?.dispose();
  });

  /** transformers.js 4.3.1's own greedy generate on the same folder, one request at a time, from our encoder's ids and pixels. */
  async function referenceText(request: GenerationRequest): Promise<{ text: string; tokens: number }> {
    const inputs = await referenceInputs(request);
    const ids = inputs.input_ids!.data as BigInt64Array;
    const out = (await reference.generate({ ...inputs, max_new_tokens: request.sampling.maxNewTokens, do_sample: false })) as { data: BigInt64Array };
    const generated = Array.from(out.data, Number).slice(ids.length);
    const stop = generated.indexOf(model().eosTokenId);
    return { text: single.decode(stop >= 0 ? generated.slice(0, stop) : generated), tokens: generated.length };
  }

  /** The model inputs transformers.js takes, from our PromptEncoder's ids and pixels. */
  async function referenceInputs(request: GenerationRequest): Promise<Record<string, Tensor>> {
    const { image } = request;
    const chat = await single.promptEncoder.encode({ id: request.id, prompt: request.prompt, ...(image ? { image } : {}) });
    const ids = BigInt64Array.from(chat.inputIds, BigInt);
    const inputs: Record<string, Tensor> = { input_ids: new Tensor('int64', ids, [1, ids.length]), attention_mask: new Tensor('int64', ids.map(() => 1n), [1, ids.length]) };
    if (chat.pixelValues) {
      inputs.pixel_values = new Tensor('float32', chat.pixelValues.data, chat.pixelValues.shape);
      inputs.image_grid_thw = new Tensor('int64', BigInt64Array.from(chat.pixelValues.gridThw!, BigInt), [1, 3]);
    }
    return inputs;
  }

  // Two image sizes (dynamic resolution: 6×4 and 4×8 patches, 6 and 8 image tokens), a text-only row, prompts of different lengths.
  const requests: GenerationRequest[] = [
    { id: 'wide', prompt: 'How many squares?', image: rgb(24, 16, 1), sampling: greedy(10) },
    { id: 'tall', prompt: 'Which option is correct, A or B?', image: rgb(16, 32, 2), sampling: greedy(6) },
    { id: 'text', prompt: 'Text only.', sampling: greedy(8) },
  ];

  it('prefill M-RoPE positions and rope delta equal models\' get_rope_index (qwen2VlRopeIndex)', async () => {
    const { config } = model();
    const chat = await single.promptEncoder.encode({ id: 'wide', prompt: 'How many squares?', image: rgb(24, 16, 1) });
    const grid = chat.pixelValues!.gridThw!;
    expect(grid).toEqual([1, 4, 6]);
    const ours = mropePositions({ imageTokenId: config.image_token_id, visionStartTokenId: config.vision_start_token_id, spatialMergeSize: config.vision.spatial_merge_size }, chat.inputIds, [grid]);
    const theirs = qwen2VlRopeIndex(config, [chat.inputIds], [grid]);
    expect(Array.from(ours.positions)).toEqual(Array.from(theirs.positionIds));
    expect(ours.delta).toBe(theirs.deltas[0]);
    expect(ours.delta).toBeLessThan(0);
  });

  it('keeps each image near its own size within the preprocessor\'s min_pixels/max_pixels (dynamic resolution)', async () => {
    const grid = async (w: number, h: number) => (await single.promptEncoder.encode({ id: 'g', prompt: 'x', image: rgb(w, h, 1) })).pixelValues!.gridThw!;
    // Tiny preset: 4-pixel patches merged 2×2 (8-pixel grid), min_pixels 64, max_pixels 1024.
    expect(await grid(24, 16)).toEqual([1, 4, 6]);
    expect(await grid(4, 4)).toEqual([1, 2, 2]); // scaled up to min_pixels
    // 96×64 = 6144 pixels: HF smart_resize floors each side by sqrt(6144 / 1024) to the 8-pixel grid, 32×24 (768 pixels).
    expect(await grid(96, 64)).toEqual([1, 6, 8]);
  });

  it('greedy generation of a batch with two image sizes equals transformers.js 4.3.1 generate on the same folder', async () => {
    const ours = await batched.generate(requests);
    for (const [i, request] of requests.entries()) {
      const ref = await referenceText(request);
      expect([ours[i]!.text, ours[i]!.completionTokens]).toEqual([ref.text, ref.tokens]);
      expect(ours[i]!.finishReason).not.toBe('error');
    }
    expect(ours.map((r) => r.completionTokens).some((n) => n > 2)).toBe(true);
  });

  it('batched equals unbatched, and continuous batching (2 slots, rows leaving and joining) equals both', async () => {
    const many: GenerationRequest[] = [...requests, { id: 'small', prompt: 'Count.', image: rgb(8, 8, 3), sampling: greedy(3) }, { id: 'big', prompt: 'Describe it.', image: rgb(32, 32, 4), sampling: greedy(9) }];
    const one = await single.generate(many);
    const all = await batched.generate(many);
    decodeRows.length = 0;
    visionGrids.length = 0;
    const two = await pair.generate(many);
    const view = (rs: typeof one) => rs.map((r) => [r.id, r.text, r.finishReason, r.completionTokens, r.promptTokens]);
    expect(view(all)).toEqual(view(one));
    expect(view(two)).toEqual(view(one));
    expect(new Set(one.map((r) => r.promptTokens)).size).toBeGreaterThan(2);
    expect(decodeRows).toContain(2);
    expect(visionGrids).toEqual([
      [1, 4, 6],
      [1, 8, 4],
      [1, 2, 2],
      [1, 8, 8],
    ]);
  });

  it('a noised-patch tensor image (pre-noised model input) generates as transformers.js does when fed the same tensor', async () => {
    const preprocess = await createImagePreprocessor(model().modelDir);
    const pixels = await preprocess({ width: 24, height: 16, data: rgb(24, 16, 5).data });
    if (pixels.layout.kind !== 'patches') throw new Error(`expected patches, got ${pixels.layout.kind}`);
    const { gridT, gridH, gridW } = pixels.layout;
    // Unclamped noise far outside the normalized range, different on the two duplicated frames.
    const noised = pixels.data.map((v, i) => v + Math.sin(i * 0.7) * 2);
    const image = tensorImage({ data: noised, layout: pixels.layout });
    expect(image).toMatchObject({ shape: [gridT * gridH * gridW, 3 * 2 * 4 * 4], gridThw: [1, 4, 6] });
    const request: GenerationRequest = { id: 'noised', prompt: 'How many squares?', image, sampling: greedy(8) };
    const [clean] = await single.generate([{ ...request, id: 'clean', image: rgb(24, 16, 5) }]);
    const [ours] = await single.generate([request]);
    const ref = await referenceText(request);
    expect([ours!.text, ours!.completionTokens]).toEqual([ref.text, ref.tokens]);
    expect(ours!.finishReason).not.toBe('error');
    expect(ours!.promptTokens).toBe(clean!.promptTokens);

    // The vision encoder receives the tensor as given, and the next-token logits equal transformers.js's full forward on it.
    const fed: Float32Array[] = [];
    const watch = recordingLibrary((session, feeds) => {
      if (session === 'vision_encoder') fed.push(Float32Array.from(feeds.pixel_values!.data as Float32Array));
    });
    const watched = await TransformersJsGenerator.load({ modelPath: model().modelDir, batchSize: 1, threads: 1, library: watch });
    try {
      const logits = await watched.nextTokenLogits(request);
      expect(Array.from(fed[0]!)).toEqual(Array.from(noised));
      const full = (await reference({ ...(await referenceInputs(request)) })) as { logits: Tensor };
      const V = full.logits.dims[2]!;
      const last = (full.logits.data as Float32Array).subarray((full.logits.dims[1]! - 1) * V);
      expect(Math.max(...Array.from(logits, (v, i) => Math.abs(v - last[i]!)))).toBeLessThan(1e-4);
      const cleanLogits = await watched.nextTokenLogits({ ...request, image: rgb(24, 16, 5) });
      expect(Math.max(...Array.from(logits, (v, i) => Math.abs(v - cleanLogits[i]!)))).toBeGreaterThan(1e-4);
    } finally {
      await watched.close();
    }
    // Batched with a clean row of another size, the noised row is unchanged.
    const mixed = await batched.generate([requests[1]!, request]);
    expect([mixed[1]!.text, mixed[1]!.completionTokens]).toEqual([ours!.text, ours!.completionTokens]);
  });

  it('refuses a patch tensor whose grid does not fit the patches, naming the request', async () => {
    const image: ImageInput = { kind: 'tensor', data: new Float32Array(24 * model().config.vision.patch_dim), shape: [24, model().config.vision.patch_dim], gridThw: [1, 4, 4] };
    const error = await (async () => single.generate([{ id: 'bad', prompt: 'x', image, sampling: greedy(2) }]))().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ requestId: 'bad', reason: expect.stringMatching(/t·h·w/) });
  });
});

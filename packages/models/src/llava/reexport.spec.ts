import { AutoProcessor, env, LlavaForConditionalGeneration, RawImage } from '@huggingface/transformers';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MissingModelFileError } from '../errors';
import { MODEL_FILE_NAMES } from '../files/model-files';
import { CLIP_MEAN, CLIP_STD } from '../processor/image-normalization';
import { loadLlavaCheckpoint, saveLlavaCheckpoint } from './checkpoint';
import { createTinyModel, type TinyModel } from './tiny-model';
import { writeInferenceFolder } from './write-inference-folder';

env.allowRemoteModels = false;
env.useFSCache = false;

const HF_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'chat_template.json',
  'generation_config.json',
  'preprocessor_config.json',
  'processor_config.json',
  'special_tokens_map.json',
];

/** Greedy tokens transformers.js generates from a folder for one image + question. */
async function greedy(folder: string, steps: number): Promise<number[]> {
  const processor = await AutoProcessor.from_pretrained(folder);
  const lm = await LlavaForConditionalGeneration.from_pretrained(folder, { dtype: 'fp32', device: 'cpu' });
  const text = processor.apply_chat_template([{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: 'How many red squares?' }] }], {
    add_generation_prompt: true,
  });
  const image = new RawImage(new Uint8ClampedArray(40 * 30 * 3).map((_, i) => (i * 29) % 256), 40, 30, 3);
  const inputs = await processor(image, text);
  const out = await lm.generate({ ...inputs, max_new_tokens: steps, min_new_tokens: steps, do_sample: false });
  await lm.dispose();
  const n = (inputs.input_ids.dims as number[])[1]!;
  return Array.from((out as { data: BigInt64Array }).data, Number).slice(n);
}

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as unknown;

describe('tokenizer and processor files travel with checkpoints', () => {
  jest.setTimeout(120_000);
  let dir: string;
  let model: TinyModel;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smart-reexport-'));
    model = await createTinyModel({ dir, seed: 13 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the tiny checkpoint holds every HF file, and createTinyModel returns what loadLlavaCheckpoint reads', async () => {
    for (const f of HF_FILES) expect(existsSync(join(model.checkpointDir, f))).toBe(true);
    const loaded = await loadLlavaCheckpoint(model.checkpointDir);
    expect(loaded.files).toEqual(model.files);
    expect(loaded.files.chatTemplate!['chat_template']).toBe(loaded.files.tokenizerConfig!['chat_template']);
    expect(loaded.files.specialTokensMap).toMatchObject({ eos_token: { content: '<|im_end|>' }, pad_token: { content: '<|endoftext|>' } });
    expect(loaded.normalization).toEqual({ imageSize: 32, mean: [...CLIP_MEAN], std: [...CLIP_STD] });
    // CLIP: the checkpoint keeps Python's image-token convention (+1 class token, then dropped); the export writes transformers.js's.
    expect(loaded.files.processorConfig!['num_additional_image_tokens']).toBe(1);
    expect(json(join(model.modelDir, 'processor_config.json'))).toMatchObject({ num_additional_image_tokens: 0 });
  });

  it('save → load → re-export gives an inference folder that generates the original folder’s greedy tokens', async () => {
    const first = await loadLlavaCheckpoint(model.checkpointDir);
    const saved = join(dir, 'saved');
    const written = await saveLlavaCheckpoint(saved, first.config, first.weights, { files: first.files });
    expect(written).toEqual(expect.arrayContaining(['config.json', ...HF_FILES]));
    for (const f of HF_FILES) expect(json(join(saved, f))).toEqual(json(join(model.checkpointDir, f)));

    const again = await loadLlavaCheckpoint(saved);
    const reexported = join(dir, 'reexported');
    await writeInferenceFolder(reexported, again.config, again.weights, again.files);
    for (const f of ['config.json', ...HF_FILES]) expect([f, json(join(reexported, f))]).toEqual([f, json(join(model.modelDir, f))]);

    const original = await greedy(model.modelDir, 6);
    expect(original).toHaveLength(6);
    expect(await greedy(reexported, 6)).toEqual(original);
  });

  it('a checkpoint without a tokenizer loads, but re-exporting it names the missing file', async () => {
    const bare = join(dir, 'bare');
    await saveLlavaCheckpoint(bare, model.config, model.weights);
    const loaded = await loadLlavaCheckpoint(bare);
    expect(loaded.files).toEqual({});
    const out = join(dir, 'bare-export');
    await expect(writeInferenceFolder(out, loaded.config, loaded.weights, loaded.files)).rejects.toThrow(MissingModelFileError);
    await expect(writeInferenceFolder(out, loaded.config, loaded.weights, loaded.files)).rejects.toThrow(`'${MODEL_FILE_NAMES.tokenizer}' is missing`);
    expect(existsSync(join(out, 'onnx'))).toBe(false);
  });
});

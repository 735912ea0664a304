import { AutoProcessor, env, RawImage } from '@huggingface/transformers';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chatTokenizerConfig } from '../tokenizer/chat-template';
import { byteLevelTokenizerJson, tokenizerVocabSize } from '../tokenizer/tokenizer-json';
import { tinyLlavaConfigJson } from './presets';
import { parseLlavaConfig } from './read-config';
import { preprocessorConfig, processorConfig } from './processor-files';

env.allowRemoteModels = false;
env.useFSCache = false;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function loadProcessor(visionModelType: 'clip_vision_model' | 'siglip_vision_model') {
  const tok = byteLevelTokenizerJson();
  const imageId = tok.added_tokens.find((t) => t.content === '<image>')!.id;
  const json = tinyLlavaConfigJson({
    preset: 'tiny',
    vocabSize: tokenizerVocabSize(tok),
    imageTokenIndex: imageId,
    eosTokenId: imageId - 1,
    padTokenId: imageId - 3,
    visionModelType,
  });
  const config = parseLlavaConfig(json);
  const dir = mkdtempSync(join(tmpdir(), 'smart-proc-'));
  dirs.push(dir);
  const files: Record<string, unknown> = {
    'config.json': json,
    'tokenizer.json': tok,
    'tokenizer_config.json': chatTokenizerConfig({ modelMaxLength: 2048 }),
    'preprocessor_config.json': preprocessorConfig(config),
    'processor_config.json': processorConfig(config),
  };
  for (const [name, value] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(value));
  return {
    processor: await AutoProcessor.from_pretrained(dir),
    config,
    imageId,
  };
}

describe('processor files loaded by transformers.js', () => {
  jest.setTimeout(60_000);

  it.each(['clip_vision_model', 'siglip_vision_model'] as const)('%s: pixel values at the tower resolution, one token per image feature', async (type) => {
    const { processor, config, imageId } = await loadProcessor(type);
    // A 40×30 image with a known colour: resize/crop must give 32×32, normalized per channel.
    const data = new Uint8ClampedArray(40 * 30 * 3);
    for (let i = 0; i < data.length; i += 3) data.set([255, 0, 128], i);
    const image = new RawImage(data, 40, 30, 3);
    const out = await processor(image, '<|im_start|>user\n<image>\nHow many?<|im_end|>\n');
    expect(out.pixel_values.dims).toEqual([1, 3, 32, 32]);
    const ids = Array.from(out.input_ids.data as BigInt64Array, Number);
    expect(ids.filter((t) => t === imageId)).toHaveLength(config.image_seq_length);
    expect(config.image_seq_length).toBe(16);
    const px = out.pixel_values.data as Float32Array;
    const [mean, std] = type === 'clip_vision_model' ? [0.48145466, 0.26862954] : [0.5, 0.5];
    expect(px[0]).toBeCloseTo((1 - mean) / std, 4); // red channel of a pure-red pixel
  });
});

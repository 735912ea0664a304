import type { TensorData } from '@smart/onnx-graph';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LlavaConfig } from './config/llava-config';
import { tinyLlavaConfigJson, type TinyConfigOptions, type TinyPreset } from './config/presets';
import { generationConfig, preprocessorConfig, processorConfig } from './config/processor-files';
import { parseLlavaConfig } from './config/read-config';
import { writeInferenceFolder } from './export/write-inference-folder';
import { randomLlavaWeights } from './random-weights';
import { saveLlavaCheckpoint } from './weights/checkpoint';
import { chatTokenizerConfig } from './tokenizer/chat-template';
import { byteLevelTokenizerJson, tokenizerVocabSize } from './tokenizer/tokenizer-json';

/** Options of createTinyModel. */
export interface TinyModelOptions {
  /** Output folder; gets `checkpoint/` (HF layout) and `model/` (transformers.js export). */
  dir: string;
  preset?: TinyPreset;
  seed?: number;
  /** BPE merges (e.g. from trainByteLevelBpe on the task's text); none = byte tokens. */
  merges?: [string, string][];
  textModelType?: TinyConfigOptions['textModelType'];
  visionModelType?: TinyConfigOptions['visionModelType'];
  tieWordEmbeddings?: boolean;
}

/** What createTinyModel wrote. */
export interface TinyModel {
  config: LlavaConfig;
  weights: Map<string, TensorData>;
  checkpointDir: string;
  modelDir: string;
  imageTokenId: number;
  eosTokenId: number;
  padTokenId: number;
}

/**
 * A tiny random LLaVA model, deterministic from seed and preset: an HF folder (config, safetensors,
 * tokenizer, processor files) that Python `transformers` loads, plus its transformers.js export.
 */
export async function createTinyModel(options: TinyModelOptions): Promise<TinyModel> {
  const tokenizerJson = byteLevelTokenizerJson(options.merges ? { merges: options.merges } : {});
  const id = (t: string) => tokenizerJson.added_tokens.find((a) => a.content === t)!.id;
  const [padTokenId, eosTokenId, imageTokenId] = [id('<|endoftext|>'), id('<|im_end|>'), id('<image>')];
  const json = tinyLlavaConfigJson({
    preset: options.preset ?? 'tiny',
    vocabSize: tokenizerVocabSize(tokenizerJson),
    imageTokenIndex: imageTokenId,
    eosTokenId,
    padTokenId,
    ...(options.textModelType ? { textModelType: options.textModelType } : {}),
    ...(options.visionModelType ? { visionModelType: options.visionModelType } : {}),
    ...(options.tieWordEmbeddings !== undefined ? { tieWordEmbeddings: options.tieWordEmbeddings } : {}),
  });
  const config = parseLlavaConfig(json);
  const weights = randomLlavaWeights(config, { seed: options.seed ?? 0 });
  const tokenizerConfig = chatTokenizerConfig({
    modelMaxLength: config.text.max_position_embeddings,
  });
  const checkpointDir = join(options.dir, 'checkpoint');
  const modelDir = join(options.dir, 'model');
  await mkdir(checkpointDir, { recursive: true });
  await saveLlavaCheckpoint(checkpointDir, config, weights);
  const files: Record<string, unknown> = {
    'generation_config.json': generationConfig({ eosTokenId, padTokenId }),
    'preprocessor_config.json': preprocessorConfig(config),
    'processor_config.json': {
      ...processorConfig(config),
      num_additional_image_tokens: config.vision.class_token ? 1 : 0,
    },
    'tokenizer.json': tokenizerJson,
    'tokenizer_config.json': tokenizerConfig,
  };
  for (const [name, value] of Object.entries(files)) await writeFile(join(checkpointDir, name), JSON.stringify(value, null, 2));
  await writeInferenceFolder(modelDir, config, weights, {
    tokenizerJson,
    tokenizerConfig,
    eosTokenId,
    padTokenId,
  });
  return {
    config,
    weights,
    checkpointDir,
    modelDir,
    imageTokenId,
    eosTokenId,
    padTokenId,
  };
}

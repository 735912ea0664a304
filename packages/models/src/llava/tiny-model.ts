import type { TensorData } from '@smart/onnx-graph';
import { join } from 'node:path';
import type { LlavaConfig } from './llava-config';
import { tinyLlavaConfigJson, type TinyConfigOptions, type TinyPreset } from './presets';
import type { ModelFiles } from '../files/model-files';
import { llavaModelFiles } from './folder-files';
import { parseLlavaConfig } from './read-config';
import { writeInferenceFolder } from './write-inference-folder';
import { randomLlavaWeights } from './random-weights';
import { saveLlavaCheckpoint } from './checkpoint';
import { chatTokenizerConfig } from '../tokenizer/chat-template';
import { byteLevelTokenizerJson, tokenizerVocabSize } from '../tokenizer/tokenizer-json';

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
  /** The checkpoint's tokenizer, chat-template, generation and processor files (what loadLlavaCheckpoint returns). */
  files: ModelFiles;
}

/** The config and tokenizer of a tiny model (no weights, nothing written): what createTinyModel builds on. */
export function tinyModelConfig(options: Omit<TinyModelOptions, 'dir' | 'seed'> = {}) {
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
  return { tokenizerJson, json, config: parseLlavaConfig(json), imageTokenId, eosTokenId, padTokenId };
}

/**
 * A tiny random LLaVA model, deterministic from seed and preset: an HF folder (config, safetensors,
 * tokenizer, processor files) that Python `transformers` loads, plus its transformers.js export.
 */
export async function createTinyModel(options: TinyModelOptions): Promise<TinyModel> {
  const { tokenizerJson, config, imageTokenId, eosTokenId, padTokenId } = tinyModelConfig(options);
  const weights = randomLlavaWeights(config, { seed: options.seed ?? 0 });
  const tokenizer = { tokenizerJson, tokenizerConfig: chatTokenizerConfig({ modelMaxLength: config.text.max_position_embeddings }), eosTokenId, padTokenId };
  const checkpointDir = join(options.dir, 'checkpoint');
  const modelDir = join(options.dir, 'model');
  const files = llavaModelFiles(config, tokenizer, 'python');
  await saveLlavaCheckpoint(checkpointDir, config, weights, { files });
  await writeInferenceFolder(modelDir, config, weights, files);
  return { config, weights, checkpointDir, modelDir, imageTokenId, eosTokenId, padTokenId, files };
}

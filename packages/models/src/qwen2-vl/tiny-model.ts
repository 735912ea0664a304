import type { TensorData } from '@smart/onnx-graph';
import { join } from 'node:path';
import type { ModelFiles } from '../files/model-files';
import { chatTokenizerConfig } from '../tokenizer/chat-template';
import { addedTokensDecoder, specialTokensMap } from '../tokenizer/special-tokens';
import { byteLevelTokenizerJson, tokenizerVocabSize } from '../tokenizer/tokenizer-json';
import { generationConfig } from '../llava/processor-files';
import { saveQwen2VlCheckpoint } from './checkpoint';
import { tinyQwen2VlConfigJson, type Qwen2VlTinyPreset } from './presets';
import { QWEN2_VL_CHAT_TEMPLATE, qwen2VlPreprocessorConfig } from './processor-files';
import type { Qwen2VlConfig } from './qwen2-vl-config';
import { randomQwen2VlWeights } from './random-weights';
import { parseQwen2VlConfig } from './read-config';
import { writeQwen2VlInferenceFolder } from './write-inference-folder';

/** Qwen2-VL's special tokens, after the byte-level vocabulary of a tiny tokenizer. */
export const QWEN2_VL_SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>', '<|vision_start|>', '<|vision_end|>', '<|image_pad|>', '<|video_pad|>'] as const;

/** Options of the tiny Qwen2-VL builders. */
export interface TinyQwen2VlOptions {
  preset?: Qwen2VlTinyPreset;
  /** BPE merges (e.g. trainByteLevelBpe on a task's text); none = byte tokens. */
  merges?: [string, string][];
  tieWordEmbeddings?: boolean;
  /** Pixel bounds of the processor (dynamic resolution); tiny defaults keep images to a few dozen patches. */
  minPixels?: number;
  maxPixels?: number;
}

/** The config, tokenizer and model files of a tiny Qwen2-VL (nothing written, no weights). */
export function tinyQwen2VlConfig(options: TinyQwen2VlOptions = {}) {
  const tokenizerJson = byteLevelTokenizerJson({ specialTokens: QWEN2_VL_SPECIAL_TOKENS, ...(options.merges ? { merges: options.merges } : {}) });
  const id = (t: string) => tokenizerJson.added_tokens.find((a) => a.content === t)!.id;
  const ids = {
    vocabSize: tokenizerVocabSize(tokenizerJson),
    padTokenId: id('<|endoftext|>'),
    eosTokenId: id('<|im_end|>'),
    visionStartTokenId: id('<|vision_start|>'),
    visionEndTokenId: id('<|vision_end|>'),
    imageTokenId: id('<|image_pad|>'),
    videoTokenId: id('<|video_pad|>'),
  };
  const json = tinyQwen2VlConfigJson(options.preset ?? 'tiny', ids, options.tieWordEmbeddings === undefined ? {} : { tieWordEmbeddings: options.tieWordEmbeddings });
  const config = parseQwen2VlConfig(json);
  const tokenizerConfig = {
    added_tokens_decoder: addedTokensDecoder(tokenizerJson as unknown as Record<string, unknown>),
    ...chatTokenizerConfig({ modelMaxLength: config.text.max_position_embeddings }),
    chat_template: QWEN2_VL_CHAT_TEMPLATE,
    additional_special_tokens: QWEN2_VL_SPECIAL_TOKENS.slice(1),
  };
  const p = config.vision.patch_size * config.vision.spatial_merge_size;
  const files: ModelFiles = {
    tokenizer: tokenizerJson as unknown as Record<string, unknown>,
    tokenizerConfig,
    specialTokensMap: specialTokensMap(tokenizerJson as unknown as Record<string, unknown>, tokenizerConfig),
    chatTemplate: { chat_template: QWEN2_VL_CHAT_TEMPLATE },
    generationConfig: generationConfig({ eosTokenId: ids.eosTokenId, padTokenId: ids.padTokenId }),
    preprocessorConfig: qwen2VlPreprocessorConfig(config, { min: options.minPixels ?? p * p, max: options.maxPixels ?? 16 * p * p }),
  };
  return { json, config, files, ...ids };
}

/** What createTinyQwen2VlModel wrote. */
export interface TinyQwen2VlModel extends ReturnType<typeof tinyQwen2VlConfig> {
  config: Qwen2VlConfig;
  weights: Map<string, TensorData>;
  checkpointDir: string;
  modelDir: string;
}

/** A tiny random Qwen2-VL, deterministic from seed: `dir/checkpoint` (HF layout) and `dir/model` (transformers.js export). */
export async function createTinyQwen2VlModel(options: TinyQwen2VlOptions & { dir: string; seed?: number }): Promise<TinyQwen2VlModel> {
  const tiny = tinyQwen2VlConfig(options);
  const weights = randomQwen2VlWeights(tiny.config, { seed: options.seed ?? 0 });
  const checkpointDir = join(options.dir, 'checkpoint');
  const modelDir = join(options.dir, 'model');
  await saveQwen2VlCheckpoint(checkpointDir, tiny.config, weights, { files: tiny.files });
  await writeQwen2VlInferenceFolder(modelDir, tiny.config, weights, tiny.files);
  return { ...tiny, weights, checkpointDir, modelDir };
}

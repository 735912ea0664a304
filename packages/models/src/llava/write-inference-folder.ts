import { writeJsonAtomic } from '@smart/core';
import type { TensorData } from '@smart/onnx-graph';
import { join } from 'node:path';
import { writeInferenceGraphs, type InferenceExportOptions } from '../family/write-inference-graphs';
import { requireModelFile, writeModelFiles, type ModelFiles } from '../files/model-files';
import { llavaModelFiles, type TokenizerFiles } from './folder-files';
import { buildInferenceGraphs } from './inference-graphs';
import type { LlavaConfig } from './llava-config';
import { preprocessorConfig, processorConfig } from './processor-files';

/**
 * A checkpoint's model files as a transformers.js folder needs them: processor_config.json in transformers.js's
 * image-token convention, the chat template inside tokenizer_config.json (where transformers.js reads it), and
 * a preprocessor_config.json derived from the config when the checkpoint has none. Everything else is copied.
 */
export function inferenceModelFiles(config: LlavaConfig, files: ModelFiles, folder = '<model files>'): ModelFiles {
  const purpose = 'a transformers.js export';
  const tokenizer = requireModelFile(files, 'tokenizer', folder, purpose);
  const tokenizerConfig = requireModelFile(files, 'tokenizerConfig', folder, purpose);
  const template = tokenizerConfig['chat_template'] ?? files.chatTemplate?.['chat_template'] ?? files.chatTemplateJinja;
  const imageToken = files.processorConfig?.['image_token'];
  return {
    ...files,
    tokenizer,
    tokenizerConfig: template === undefined ? tokenizerConfig : { ...tokenizerConfig, chat_template: template },
    preprocessorConfig: files.preprocessorConfig ?? preprocessorConfig(config),
    processorConfig: {
      ...files.processorConfig,
      ...processorConfig(config, { convention: 'transformers.js', ...(typeof imageToken === 'string' ? { imageToken } : {}) }),
    },
  };
}

/**
 * Writes a transformers.js image-text-to-text folder: config.json, the model files (from a checkpoint, e.g.
 * `loadLlavaCheckpoint(...).files`, or built from a new tokenizer) and
 * onnx/{embed_tokens,vision_encoder,decoder_model_merged}.onnx (fp32, plus the requested `variants`; external data for large weights).
 */
export async function writeInferenceFolder(
  dir: string,
  config: LlavaConfig,
  weights: ReadonlyMap<string, TensorData>,
  files: ModelFiles | TokenizerFiles,
  options: InferenceExportOptions = {},
): Promise<void> {
  // Checked before any graph is built, so a missing tokenizer fails fast.
  const modelFiles = 'tokenizerJson' in files ? llavaModelFiles(config, files, 'transformers.js') : inferenceModelFiles(config, files, dir);
  const external = await writeInferenceGraphs(dir, () => buildInferenceGraphs(config, weights), options);
  // transformers.js reads layer/head counts from text_config; head_dim is written out so no reader has to derive it.
  const raw = config.raw as Record<string, unknown>;
  const json = {
    ...raw,
    text_config: {
      ...(raw['text_config'] as object),
      head_dim: config.text.head_dim,
      num_key_value_heads: config.text.num_key_value_heads,
    },
    ...(external ? { 'transformers.js_config': { use_external_data_format: true } } : {}),
  };
  await writeModelFiles(dir, modelFiles);
  await writeJsonAtomic(join(dir, 'config.json'), json);
}

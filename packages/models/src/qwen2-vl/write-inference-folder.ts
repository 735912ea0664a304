import { writeJsonAtomic } from '@smart/core';
import type { TensorData } from '@smart/onnx-graph';
import { join } from 'node:path';
import { writeInferenceGraphs, type InferenceExportOptions } from '../family/write-inference-graphs';
import { requireModelFile, writeModelFiles, type ModelFiles } from '../files/model-files';
import { buildQwen2VlInferenceGraphs } from './inference-graphs';
import { completeQwen2VlPreprocessorConfig } from './processor-files';
import type { Qwen2VlConfig } from './qwen2-vl-config';

/**
 * Writes a transformers.js 4.3.1 `qwen2_vl` folder: config.json (with head_dim written out), the checkpoint's model
 * files (chat template moved into tokenizer_config.json, where transformers.js reads it; preprocessor_config.json
 * completed with the resize/normalize switches transformers.js needs) and onnx/{embed_tokens,vision_encoder,decoder_model_merged}.onnx in fp32, plus the requested `variants`.
 */
export async function writeQwen2VlInferenceFolder(
  dir: string,
  config: Qwen2VlConfig,
  weights: ReadonlyMap<string, TensorData>,
  files: ModelFiles,
  options: InferenceExportOptions = {},
): Promise<void> {
  const purpose = 'a transformers.js export';
  const tokenizer = requireModelFile(files, 'tokenizer', dir, purpose);
  const tokenizerConfig = requireModelFile(files, 'tokenizerConfig', dir, purpose);
  const template = tokenizerConfig['chat_template'] ?? files.chatTemplate?.['chat_template'] ?? files.chatTemplateJinja;
  const external = await writeInferenceGraphs(dir, () => buildQwen2VlInferenceGraphs(config, weights), options);
  await writeModelFiles(dir, {
    ...files,
    tokenizer,
    tokenizerConfig: template === undefined ? tokenizerConfig : { ...tokenizerConfig, chat_template: template },
    preprocessorConfig: completeQwen2VlPreprocessorConfig(config, files.preprocessorConfig),
  });
  // transformers.js reads qwen2_vl's layer/head counts from the top level; head_dim written so no reader derives it.
  await writeJsonAtomic(join(dir, 'config.json'), {
    ...config.raw,
    head_dim: config.text.head_dim,
    num_key_value_heads: config.text.num_key_value_heads,
    ...(external ? { 'transformers.js_config': { use_external_data_format: true } } : {}),
  });
}

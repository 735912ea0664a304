import { saveModel, type TensorData } from '@smart/onnx-graph';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LlavaConfig } from './llava-config';
import { modelFolderFiles, writeJsonFiles, type TokenizerFiles } from './folder-files';
import { buildInferenceGraphs } from './inference-graphs';

/** Options of the transformers.js export. */
export interface InferenceExportOptions {
  /** Initializers of at least this many bytes go to `<graph>.onnx_data` (default 256 MiB; protobuf caps a file at 2 GB). */
  externalDataThreshold?: number;
}

/**
 * Writes a transformers.js image-text-to-text folder: config.json, generation/processor/tokenizer files and
 * onnx/{embed_tokens,vision_encoder,decoder_model_merged}.onnx (fp32; external data for large weights).
 */
export async function writeInferenceFolder(
  dir: string,
  config: LlavaConfig,
  weights: ReadonlyMap<string, TensorData>,
  tokenizer: TokenizerFiles,
  options: InferenceExportOptions = {},
): Promise<void> {
  await mkdir(join(dir, 'onnx'), { recursive: true });
  const threshold = options.externalDataThreshold ?? 256 * 1024 * 1024;
  const graphs = buildInferenceGraphs(config, weights);
  let external = false;
  for (const [file, graph] of [
    ['embed_tokens', graphs.embedTokens],
    ['vision_encoder', graphs.visionEncoder],
    ['decoder_model_merged', graphs.decoder],
  ] as const) {
    const r = await saveModel(join(dir, 'onnx', `${file}.onnx`), graph, {
      externalDataThreshold: threshold,
      externalDataLocation: `${file}.onnx_data`,
    });
    external ||= r.externalDataSize > 0;
  }
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
  await writeJsonFiles(dir, { 'config.json': json, ...modelFolderFiles(config, tokenizer, 'transformers.js') });
}

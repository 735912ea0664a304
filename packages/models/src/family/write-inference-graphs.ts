import { saveModel } from '@smart/onnx-graph';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GRAPH_VARIANT_SUFFIXES, storeWeightsAs, type GraphVariant } from '../weights/graph-variants';
import type { InferenceGraphs } from './model-family';

/** Options of a transformers.js export (any family). */
export interface InferenceExportOptions {
  /** Initializers of at least this many bytes go to `<graph>.onnx_data` (default 256 MiB; protobuf caps a file at 2 GB). */
  externalDataThreshold?: number;
  /**
   * Extra transformers.js `dtype` variants to write beside the fp32 graphs, under onnx-community's names
   * (`<graph>_fp16.onnx`, `<graph>_quantized.onnx` for `q8`, `<graph>_q4.onnx`); see storeWeightsAs.
   */
  variants?: GraphVariant[];
}

/**
 * Writes `<dir>/onnx/{embed_tokens,vision_encoder,decoder_model_merged}.onnx` and each requested variant beside
 * them; `build` is called once per variant, since a variant rewrites its graphs. Returns whether any file
 * needed external data (transformers.js must then be told `use_external_data_format`).
 */
export async function writeInferenceGraphs(dir: string, build: () => InferenceGraphs, options: InferenceExportOptions = {}): Promise<boolean> {
  await mkdir(join(dir, 'onnx'), { recursive: true });
  const threshold = options.externalDataThreshold ?? 256 * 1024 * 1024;
  let external = false;
  for (const variant of [undefined, ...(options.variants ?? [])]) {
    const graphs = build();
    const suffix = variant ? GRAPH_VARIANT_SUFFIXES[variant] : '';
    for (const [file, graph] of [
      ['embed_tokens', graphs.embedTokens],
      ['vision_encoder', graphs.visionEncoder],
      ['decoder_model_merged', graphs.decoder],
    ] as const) {
      if (variant) storeWeightsAs(graph, variant);
      const r = await saveModel(join(dir, 'onnx', `${file}${suffix}.onnx`), graph, {
        externalDataThreshold: threshold,
        externalDataLocation: `${file}${suffix}.onnx_data`,
      });
      external ||= r.externalDataSize > 0;
    }
  }
  return external;
}

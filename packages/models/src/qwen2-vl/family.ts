import type { ModelFamily } from '../family/model-family';
import { loadQwen2VlCheckpoint, saveQwen2VlCheckpoint } from './checkpoint';
import { qwen2VlRopeIndex } from './rope-index';
import { qwen2VlTrainableParts } from './trainable-parts';
import { writeQwen2VlInferenceFolder } from './write-inference-folder';
import { qwen2VlForward } from './forward';
import { buildQwen2VlInferenceGraphs } from './inference-graphs';
import { qwen2VlImageNormalization } from './processor-files';
import type { Qwen2VlConfig } from './qwen2-vl-config';
import { parseQwen2VlConfig, readQwen2VlConfig } from './read-config';
import { buildQwen2VlLogProbs, qwen2VlLogProbs } from './sequence-log-probs';
import { qwen2VlTensorSpecs } from './tensor-names';

/**
 * Qwen2-VL (Wang et al. 2024: dynamic-resolution ViT with 2-D RoPE, PatchMerger, Qwen2 decoder with M-RoPE) behind
 * the family seam. Its graphs take `position_ids` [3, B, S] (qwen2VlRopeIndex) and, for images, flattened patches
 * `pixel_values` [num_patches, C·T·p·p] with `image_grid_thw` [num_images, 3].
 */
export const qwen2VlFamily: ModelFamily<Qwen2VlConfig> = {
  modelType: 'qwen2_vl',
  parseConfig: parseQwen2VlConfig,
  readConfig: readQwen2VlConfig,
  imageTokenId: (config) => config.image_token_id,
  imageNormalization: qwen2VlImageNormalization,
  tensorSpecs: qwen2VlTensorSpecs,
  forward: qwen2VlForward,
  logProbs: qwen2VlLogProbs,
  buildLogProbGraph: buildQwen2VlLogProbs,
  buildInferenceGraphs: buildQwen2VlInferenceGraphs,
  trainableParts: qwen2VlTrainableParts,
  positionIds: (config, batch) => {
    const r = qwen2VlRopeIndex(config, batch.inputIds, batch.gridThw ?? [], batch.attentionMask);
    return { data: r.positionIds, shape: r.shape };
  },
  loadCheckpoint: loadQwen2VlCheckpoint,
  saveCheckpoint: saveQwen2VlCheckpoint,
  writeInferenceFolder: (dir, config, weights, files, options) => writeQwen2VlInferenceFolder(dir, config, weights, files, options),
};

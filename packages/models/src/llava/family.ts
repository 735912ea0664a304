import type { ModelFamily } from '../family/model-family';
import { textPositionIds } from '../family/text-position-ids';
import { loadLlavaCheckpoint, saveLlavaCheckpoint } from './checkpoint';
import { trainableParts } from './trainable-parts';
import { writeInferenceFolder } from './write-inference-folder';
import { llavaForward } from './forward';
import { buildInferenceGraphs } from './inference-graphs';
import type { LlavaConfig } from './llava-config';
import { llavaImageNormalization } from './processor-files';
import { parseLlavaConfig, readLlavaConfig } from './read-config';
import { buildSequenceLogProbs, sequenceLogProbs } from './sequence-log-probs';
import { llavaTensorSpecs } from './tensor-names';

/** LLaVA (Llama/Qwen2 + CLIP/SigLIP + MLP projector, Liu et al. 2023) behind the family seam. */
export const llavaFamily: ModelFamily<LlavaConfig> = {
  modelType: 'llava',
  parseConfig: parseLlavaConfig,
  readConfig: readLlavaConfig,
  imageTokenId: (config) => config.image_token_index,
  imageNormalization: llavaImageNormalization,
  tensorSpecs: llavaTensorSpecs,
  forward: llavaForward,
  logProbs: sequenceLogProbs,
  buildLogProbGraph: buildSequenceLogProbs,
  buildInferenceGraphs,
  trainableParts,
  positionIds: (_config, batch) => textPositionIds(batch),
  loadCheckpoint: loadLlavaCheckpoint,
  saveCheckpoint: saveLlavaCheckpoint,
  writeInferenceFolder: (dir, config, weights, files, options) => writeInferenceFolder(dir, config, weights, files, options),
};

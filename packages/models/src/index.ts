// Errors
export {
  ConfigError,
  DuplicateTensorError,
  MissingModelFileError,
  MissingTensorError,
  MissingWeightError,
  ModelFileError,
  ModelsError,
  TensorShapeError,
  UnsupportedModelTypeError,
  UnsupportedRopeScalingError,
} from './errors';

// The family seam: config → forward / log-prob graph / inference graphs / tensor specs, selected by model_type
export type { BatchRows, GraphOptions, InferenceGraphs, ModelCheckpoint, ModelFamily, ModelForward, ModelTrunk, SequenceLogProbs } from './family/model-family';
export { textPositionIds } from './family/text-position-ids';
export { familyOf, MODEL_TYPES, modelFamily, parseModelConfig, readModelConfig, type ModelConfig } from './family/families';
export type { TensorSpec } from './weights/tensor-spec';
export { checkTensorSpecs } from './weights/check-tensor-specs';
export {
  CLIP_MEAN,
  CLIP_STD,
  parseImageNormalization,
  PreprocessorConfigSchema,
  readImageNormalization,
  SIGLIP_MEAN,
  SIGLIP_STD,
  type ImageNormalization,
  type Rgb,
} from './processor/image-normalization';
export { randomWeights, type RandomWeightsOptions } from './weights/random-weights';
export { MODEL_FILE_NAMES, readModelFiles, requireModelFile, writeModelFiles, type JsonObject, type ModelFiles } from './files/model-files';

// Shared language model (Llama/Qwen2) and layers
export { TEXT_FAMILY_DEFAULTS, TEXT_MODEL_TYPES, TextConfigSchema, withTextFamilyDefaults, type TextConfig } from './decoder/text-config';
export { IMPLEMENTED_ROPE_KINDS, ropeInverseFrequencies } from './decoder/rope-frequencies';
export type { TextWeightPrefixes } from './decoder/text-decoder';
export { bindWeights, type BoundWeights, type LoraAdapter, type WeightLookup } from './layers/weights';
export { DEFAULT_LORA_TARGETS, initLoraWeights, isLoraTarget, loraNames, type LoraConfig } from './layers/lora';
export { completionLogProbs, type CompletionLogProbs } from './layers/completion-log-probs';

// LLaVA
export { llavaFamily } from './llava/family';
export { LLAVA_MODEL_TYPES, LlavaConfigSchema, type LlavaConfig } from './llava/llava-config';
export { VISION_MODEL_TYPES, VisionConfigSchema, type VisionConfig } from './llava/vision-config';
export { parseLlavaConfig, readLlavaConfig } from './llava/read-config';
export { generationConfig, llavaImageNormalization, preprocessorConfig, processorConfig } from './llava/processor-files';
export { TINY_PRESETS, tinyLlavaConfigJson, type TinyConfigOptions, type TinyPreset } from './llava/presets';
export { LLAVA_1_5_7B_CONFIG, LLAVA_INTERLEAVE_QWEN_0_5B_CONFIG } from './llava/real-configs';
export { canonicalTensorName, LLAVA_TEXT_PREFIXES, llavaTensorSpecs, parameterCount, PREFIX } from './llava/tensor-names';
export { randomLlavaWeights } from './llava/random-weights';
export { buildLlavaForward, llavaForward, llavaTrunk, type LlavaForward, type LlavaGraphOptions } from './llava/forward';
export { buildSequenceLogProbs, sequenceLogProbs } from './llava/sequence-log-probs';
export { trainableParts } from './llava/trainable-parts';
export { buildDecoder, buildEmbedTokens, buildInferenceGraphs, buildVisionEncoder } from './llava/inference-graphs';
export { llavaModelFiles, modelFolderFiles, type TokenizerFiles } from './llava/folder-files';
export { inferenceModelFiles, writeInferenceFolder } from './llava/write-inference-folder';
export { writeInferenceGraphs, type InferenceExportOptions } from './family/write-inference-graphs';
export { GRAPH_VARIANT_SUFFIXES, storeWeightsAs, type GraphVariant } from './weights/graph-variants';
export { loadLlavaCheckpoint, saveLlavaCheckpoint, validateWeights, type LlavaCheckpoint } from './llava/checkpoint';
export { DEFAULT_MAX_SHARD_BYTES, readCheckpointFolder, writeCheckpointFolder, type CheckpointDType, type CheckpointFolderContents, type SaveCheckpointOptions } from './weights/checkpoint-folder';
export { createTinyModel, tinyModelConfig, type TinyModel, type TinyModelOptions } from './llava/tiny-model';

// Qwen2-VL
export { qwen2VlFamily } from './qwen2-vl/family';
export { QWEN2_VL_MODEL_TYPES, Qwen2VlConfigSchema, Qwen2VlVisionConfigSchema, type Qwen2VlConfig, type Qwen2VlVisionConfig } from './qwen2-vl/qwen2-vl-config';
export { parseQwen2VlConfig, readQwen2VlConfig } from './qwen2-vl/read-config';
export { QWEN2_VL_PREFIX, QWEN2_VL_TEXT_PREFIXES, qwen2VlCanonicalName, qwen2VlParameterCount, qwen2VlTensorSpecs } from './qwen2-vl/tensor-names';
export { qwen2VlRopeIndex, type RopeIndex } from './qwen2-vl/rope-index';
export { flattenPatches, type FlattenedPatches } from './qwen2-vl/flatten-patches';
export { buildQwen2VlForward, qwen2VlForward, qwen2VlTrunk } from './qwen2-vl/forward';
export { buildQwen2VlLogProbs, qwen2VlLogProbs } from './qwen2-vl/sequence-log-probs';
export { qwen2VlTrainableParts } from './qwen2-vl/trainable-parts';
export { buildQwen2VlDecoder, buildQwen2VlEmbedTokens, buildQwen2VlInferenceGraphs, buildQwen2VlVisionEncoder } from './qwen2-vl/inference-graphs';
export { loadQwen2VlCheckpoint, saveQwen2VlCheckpoint, type Qwen2VlCheckpoint } from './qwen2-vl/checkpoint';
export { writeQwen2VlInferenceFolder } from './qwen2-vl/write-inference-folder';
export {
  completeQwen2VlPreprocessorConfig,
  QWEN2_VL_CHAT_TEMPLATE,
  QWEN2_VL_MAX_PIXELS,
  QWEN2_VL_MIN_PIXELS,
  qwen2VlImageNormalization,
  qwen2VlPreprocessorConfig,
} from './qwen2-vl/processor-files';
export { QWEN2_VL_TINY_PRESETS, tinyQwen2VlConfigJson, type Qwen2VlTinyPreset, type Qwen2VlTinyTokenIds } from './qwen2-vl/presets';
export { randomQwen2VlWeights } from './qwen2-vl/random-weights';
export { createTinyQwen2VlModel, QWEN2_VL_SPECIAL_TOKENS, tinyQwen2VlConfig, type TinyQwen2VlModel, type TinyQwen2VlOptions } from './qwen2-vl/tiny-model';

// Tokenizer files
export { BYTE_TO_CHAR, byteLevelPieces, GPT2_SPLIT } from './tokenizer/byte-level';
export { CHATML_TEMPLATE, chatTokenizerConfig } from './tokenizer/chat-template';
export { addedTokensDecoder, specialTokensMap, type AddedTokenJson } from './tokenizer/special-tokens';
export { byteLevelTokenizerJson, DEFAULT_SPECIAL_TOKENS, tokenizerVocabSize, type TokenizerJson } from './tokenizer/tokenizer-json';
export { trainByteLevelBpe, type TrainBpeOptions } from './tokenizer/train-bpe';

// Errors
export {
  ConfigError,
  MissingModelFileError,
  MissingTensorError,
  MissingWeightError,
  ModelFileError,
  ModelsError,
  TensorShapeError,
  UnsupportedModelTypeError,
} from './errors';

// The family seam: config → forward / log-prob graph / inference graphs / tensor specs, selected by model_type
export type { GraphOptions, InferenceGraphs, ModelFamily, ModelForward, ModelTrunk, SequenceLogProbs } from './family/model-family';
export { familyOf, MODEL_TYPES, modelFamily, parseModelConfig, readModelConfig, type ModelConfig } from './family/families';
export type { TensorSpec } from './weights/tensor-spec';
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
export { TEXT_MODEL_TYPES, TextConfigSchema, type TextConfig } from './decoder/text-config';
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
export { inferenceModelFiles, writeInferenceFolder, type InferenceExportOptions } from './llava/write-inference-folder';
export { loadLlavaCheckpoint, saveLlavaCheckpoint, validateWeights, type LlavaCheckpoint, type SaveCheckpointOptions } from './llava/checkpoint';
export { createTinyModel, tinyModelConfig, type TinyModel, type TinyModelOptions } from './llava/tiny-model';

// Tokenizer files
export { BYTE_TO_CHAR, byteLevelPieces, GPT2_SPLIT } from './tokenizer/byte-level';
export { CHATML_TEMPLATE, chatTokenizerConfig } from './tokenizer/chat-template';
export { addedTokensDecoder, specialTokensMap, type AddedTokenJson } from './tokenizer/special-tokens';
export { byteLevelTokenizerJson, DEFAULT_SPECIAL_TOKENS, tokenizerVocabSize, type TokenizerJson } from './tokenizer/tokenizer-json';
export { trainByteLevelBpe, type TrainBpeOptions } from './tokenizer/train-bpe';

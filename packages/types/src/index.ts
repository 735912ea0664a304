export { OPTION_LETTERS, MIN_OPTIONS, MAX_OPTIONS, type OptionLetter, type Choice, type ImageRef, type SourceFormat, type Sample } from './sample';
export { DEFAULT_SAMPLING, type PromptVariant, type RationaleKind, type SamplingParams, type Rationale } from './rationale';
export { type DropReason, type PreferencePair } from './preference-pair';
export { type ImageInput, type GenerationRequest, type GenerationResult, type GenerationProgress, type Generator } from './generation';
export { type BenchmarkName, type EvalItemResult, type EvalResult } from './eval-result';
export { type Rng, type RngState, type RandomStream } from './rng';
export { type FinishReason, type GenerationSample } from './generation-sample';
export { type PromptEncoderInput, type EncodedPixels, type EncodedChat, type PromptEncoder } from './prompt-encoder';
export { type PixelLayout, type ModelPixels } from './pixel-layout';

export {
  BodyTooLargeError,
  ClientDisconnectedError,
  DeviceUnavailableError,
  GenerationAbortedError,
  HttpGenerationError,
  InvalidRequestError,
  LimitExceededError,
  MllmError,
  ModelLoadError,
  PromptFormatError,
  QueueFullError,
  RequestTimeoutError,
  ResponseValidationError,
  UnsupportedChatRequestError,
  UnsupportedRequestError,
} from './errors';
export { requestImages, validateRequest, validateRequests, type RequestLimits } from './validate-request';
export { sampleSeed } from './sampling/sample-seed';
export { TokenSampler, type TokenSamplingParams } from './sampling/token-sampler';
export type { MessageContentFormat } from './local/chat-prompt';
export type { TjsLibrary, TjsProcessor } from './local/transformers-js-surface';
export { createPromptEncoder, TransformersJsPromptEncoder, type PromptEncoderOptions } from './local/prompt-encoder';
export { createImagePreprocessor, tensorImage, type ImagePreprocessorFn, type RgbPixels } from './local/image-preprocessor';
export { TransformersJsGenerator, type Device, type TransformersJsGeneratorOptions } from './local/transformers-js-generator';
export { OpenAICompatibleGenerator, type HttpUsage, type OpenAICompatibleGeneratorOptions } from './openai/openai-compatible-generator';
export type { BackoffOptions } from './openai/retry-policy';
export {
  chatCompletionRequestSchema,
  chatCompletionResponseSchema,
  type ChatCompletionRequest,
  type ChatCompletionResponse,
  type OpenAIErrorBody,
} from './openai/openai-schemas';
export { serve, type ServeHandle, type ServeOptions } from './serve/serve';

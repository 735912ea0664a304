export {
  BodyTooLargeError,
  DeviceUnavailableError,
  GenerationAbortedError,
  HttpGenerationError,
  InvalidRequestError,
  MllmError,
  ModelLoadError,
  PromptFormatError,
  QueueFullError,
  ResponseValidationError,
  UnsupportedChatRequestError,
} from './errors';
export { validateRequest, validateRequests } from './validate-request';
export { sampleSeed } from './sampling/sample-seed';
export type { MessageContentFormat } from './local/chat-prompt';
export type { TjsLibrary, TjsProcessor } from './local/transformers-js-surface';
export { createPromptEncoder, TransformersJsPromptEncoder, type PromptEncoderOptions } from './local/prompt-encoder';
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

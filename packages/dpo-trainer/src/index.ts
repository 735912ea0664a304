export { DpoTrainerError, ExecutionProviderUnavailableError, BatchShapeError, EngineStateError } from './errors';
export type {
  DpoLossType,
  Objective,
  OptimizerOptions,
  ExecutionProvider,
  EngineOptions,
  FloatArray,
  TokenBatch,
  PreferenceBatch,
  SftBatch,
  LogProbs,
  StepMetrics,
  EngineState,
  Engine,
} from './engine/types';

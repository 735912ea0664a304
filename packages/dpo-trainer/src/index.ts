export {
  DpoTrainerError,
  ExecutionProviderUnavailableError,
  BatchShapeError,
  EngineStateError,
  PeftAdapterError,
  TrainerConfigError,
  ExampleEncodingError,
  ImageTokensTruncatedError,
  ResumeStateError,
  ModelFolderError,
  TrainingWorkerError,
} from './errors';
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
export { trainingArgumentsShape } from './config/training-arguments';
export { dpoConfigSchema, LOSS_TYPES, type DpoConfig, type DpoConfigInput } from './config/dpo-config';
export { sftConfigSchema, type SftConfig, type SftConfigInput } from './config/sft-config';
export { PAPER_DPO_PRESET, DPO_PRESETS, type DpoPresetName } from './config/presets';
export { parseDpoConfig, parseSftConfig, configHelp, type ConfigFieldHelp } from './config/parse-config';
export type { PreferenceExample, ReferenceLogProbs, SftExample, TokenRow, EncodedPair, EncodedSftRow } from './collate/examples';
export { truncatePair, truncateRow, type TruncationLimits } from './collate/truncate-rows';
export { encodePair, encodeSftExample } from './collate/encode-examples';
export { LOSS_SPANS, splitSteps, throughFirstDifferingStep, type LossSpan } from './collate/step-span';
export { collateRows, collatePairs, collateSft } from './collate/collate-batch';
export { LossConfigError } from './errors';
export { dpoLogits, type PairLogProbs } from './losses/dpo-logits';
export { sigmoidLoss } from './losses/sigmoid-loss';
export { robustLoss } from './losses/robust-loss';
export { hingeLoss } from './losses/hinge-loss';
export { ipoLoss } from './losses/ipo-loss';
export { tokenMeanNll } from './losses/token-mean-nll';
export { withRpoTerm } from './losses/rpo-term';
export { dpoLoss, dpoPairLosses, type DpoLossOptions } from './losses/dpo-loss';
export { learningRateAt, lrMultiplier, resolveWarmupSteps, type LrSchedule, type LrSchedulerType } from './schedule/lr-schedule';
export { checkExecutionProvider, sessionOptions } from './engine/execution-provider';
export { EngineUsageError } from './errors';
export { createEngine } from './engine/onnx-engine';
export { buildTrainingGraph, buildEvalGraph } from './engine/training-graphs';
export { buildOptimizerGraph, type ParamSpec } from './engine/optimizer-graph';
export { appliesWeightDecay } from './engine/weight-decay';
export { ARTIFACT_FILES, type ArtifactManifest, type ArtifactTensor } from './engine/artifacts';
export { planRun, stepMicroBatches, epochAt, type RunPlan } from './trainer/run-plan';
export { AVERAGED_METRICS, type MetricsRow } from './trainer/metrics-log';
export { RESUME_FILE, trainerStateSchema, loadResumeState, saveResumeState, type TrainerState } from './trainer/resume-state';
export { computeReferenceLogProbs, jsonFileReferenceStore, type ReferenceLogProbStore } from './trainer/reference-log-probs';
export { METRICS_FILE, runTrainingLoop, type TrainProgress, type LoopTask, type LoopOptions, type LoopResult } from './trainer/training-loop';
export { loadStartModel, engineOptionsFor, type EngineFactory, type StartModel } from './trainer/model-source';
export { limitsOf, type TrainRunOptions, type TrainResult } from './trainer/run-options';
export { trainDpo, type DpoTrainOptions } from './trainer/train-dpo';
export { trainSft, type SftTrainOptions } from './trainer/train-sft';
export { mergeLora } from './outputs/merge-lora';
export { peftAdapterConfig, writePeftAdapter } from './outputs/peft-adapter';
export { readPeftAdapter, type PeftAdapter } from './outputs/read-peft-adapter';
export { writeTrainedModel, type TrainedModelOptions, type TrainedModelFolders } from './outputs/write-trained-model';
export { trainInWorker, type WorkerRunOptions } from './worker/train-in-worker';
export type { WorkerRequest } from './worker/worker-protocol';

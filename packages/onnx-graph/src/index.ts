// Errors
export { DTypeError, GradientError, GraphBuildError, OnnxGraphError, SafetensorsError, SerializationError, ShapeError } from './errors';

// Graph, values, dtypes and shapes
export { isFloatDType, type DType, type TensorArray } from './dtype';
export { isStaticShape, staticSize, type Dim, type Shape } from './shape';
export { Graph, InferContext, Value, type AttrValue, type CustomGradient, type GraphNode, type GraphOptions, type OutputSpec, type TensorData } from './graph';
export type { GradContext, GradRule } from './grad-rule';
export type { Operand } from './ops/operand';

// Ops (each with its gradient rule beside it)
export {
  add,
  cast,
  cos,
  div,
  equal,
  erf,
  exp,
  greater,
  identity,
  less,
  log,
  mul,
  neg,
  pow,
  reciprocal,
  relu,
  sigmoid,
  sin,
  sqrt,
  stopGradient,
  sub,
  sum,
  tanh,
  where,
} from './ops/elementwise';
export { cumSum, reduceMax, reduceMean, reduceSum, sumToShape } from './ops/reduce';
export { constantOfShape, expand, range, reshape, shapeOf, size, squeeze, transpose, unsqueeze, zerosLike, type ShapeArg } from './ops/shape-ops';
export { concat, slice, split } from './ops/slice-concat';
export { gather, gatherElements, scatterElements, scatterND } from './ops/gather';
export { gemm, matmul } from './ops/matmul';
export { logSoftmax, softmax } from './ops/softmax';
export { layerNorm, rmsNorm } from './ops/norm';
export { gelu } from './ops/activation';
export { trilu } from './ops/trilu';
export { conv, type ConvOptions } from './ops/conv';
export { labelLogProbs } from './ops/label-log-probs';
export { logSigmoid, softplus } from './ops/log-sigmoid';

// Autodiff, optimizers, serialization
export { grad, GRAD_RULES } from './autodiff';
export { adamw, clipGradNorm, sgd, trainingStep, type AdamWOptions, type AdamWState, type SgdOptions, type TrainingStepIO, type TrainingStepOptions } from './optim';
export { decodeModel, saveModel, serializeModel, type ExternalChunk, type SerializedModel, type SerializeOptions } from './serialize';
export { bfloat16ToFloat32, float16ToFloat32, float32ToBfloat16, float32ToFloat16, narrow16, widen16 } from './float16';
export {
  decodeSafetensors,
  encodeSafetensors,
  openSafetensors,
  readSafetensors,
  readSafetensorsFolder,
  writeSafetensors,
  writeSafetensorsFolder,
  type SafetensorsContents,
  type ShardOptions,
} from './safetensors';
export { DEFAULT_MAX_TENSOR_BYTES, SafetensorsFile, type SafetensorsReadOptions } from './safetensors-file';
export { MAX_HEADER_BYTES, type SafetensorsEntry } from './safetensors-header';

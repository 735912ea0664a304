import type { Graph, TensorData, Value } from '@smart/onnx-graph';
import type { LoraConfig } from '../layers/lora';
import type { BoundWeights } from '../layers/weights';
import type { ModelFiles } from '../files/model-files';
import type { InferenceExportOptions } from './write-inference-graphs';
import type { ImageNormalization } from '../processor/image-normalization';
import type { SaveCheckpointOptions } from '../weights/checkpoint-folder';
import type { TensorSpec } from '../weights/tensor-spec';

/** Options of a family's full-sequence graphs (forward, log-probs). */
export interface GraphOptions {
  dtype?: 'float32' | 'float64';
  /** Names of weights that become graph inputs (trained) instead of initializers (frozen). */
  trainable?: (name: string) => boolean;
  /** LoRA adapters on the language model; the adapters become the graph's trainable inputs. */
  lora?: { config: LoraConfig; adapters: ReadonlyMap<string, TensorData> };
  /**
   * How images enter: `pixels` runs the vision tower and projector on `pixel_values` [B_img, 3, H, W]
   * (Qwen2-VL: flattened patches [num_patches, C·T·p·p] with `image_grid_thw` [num_images, 3]);
   * `features` takes precomputed projector outputs `image_features` [B_img, N, H] (Qwen2-VL: [num_image_tokens, H]; a frozen tower's
   * output cached once per image); `none` for text-only batches. Default `pixels`.
   */
  images?: 'pixels' | 'features' | 'none';
  /**
   * Log-prob graphs only: `completion` (default) applies lm_head and log-softmax at completion positions only
   * (memory grows with completion tokens × vocabulary); `full` computes [B, S, V] logits first.
   */
  lmHead?: 'completion' | 'full';
}

/** The forward pass up to the final norm: inputs declared, hidden states computed, lm_head available. */
export interface ModelTrunk {
  graph: Graph;
  weights: BoundWeights;
  inputIds: Value; // [B, S] int64
  attentionMask: Value; // [B, S] int64
  positionIds: Value; // [B, S] int64; [3, B, S] for M-RoPE families (Qwen2-VL)
  hidden: Value; // [B, S, H] final-normed
  /** lm_head (or the tied embedding) applied to any [..., H] → [..., V]. */
  head: (hidden: Value) => Value;
}

/** The forward pass inside a graph: inputs declared, logits computed, nothing marked as output. */
export interface ModelForward extends ModelTrunk {
  logits: Value; // [B, S, V]
}

/** The training-side forward: per-sequence completion log-probs and token counts. */
export interface SequenceLogProbs extends ModelTrunk {
  completionMask: Value; // [B, S] int64: 1 on completion tokens
  logps: Value; // [B] Σ log π(token) over completion tokens
  tokenCounts: Value; // [B]
  /** Σ of logits over completion positions and vocabulary [B] (TRL's `logits/chosen` = Σ / (tokens · V)). */
  logitSums: Value;
}

/** The three graphs of a transformers.js image-text-to-text folder (transformers-js.md session contract). */
export interface InferenceGraphs {
  embedTokens: Graph;
  visionEncoder: Graph;
  decoder: Graph;
}

/** An HF checkpoint folder as a family loads it: validated config, float weights by HF name, the files beside them. */
export interface ModelCheckpoint<C> {
  config: C;
  weights: Map<string, TensorData>;
  /** Checkpoint tensors the architecture does not use. */
  unused: string[];
  files: ModelFiles;
}

/** Token rows of a batch (one row per sequence) and the images in them, in order, as the family's processor produced them. */
export interface BatchRows {
  inputIds: number[][];
  attentionMask: number[][];
  /** Qwen2-VL: one `image_grid_thw` row [t, h, w] per image of the batch, in order. */
  gridThw?: readonly (readonly number[])[];
}

/**
 * One multimodal architecture family (LLaVA, Qwen2-VL): what the trainer and the exporter need
 * from a model, given its validated config. Families are selected by `model_type` in `families.ts`.
 */
export interface ModelFamily<C extends { model_type: string }> {
  /** The top-level `model_type` of config.json this family reads. */
  readonly modelType: string;
  /** Validates a parsed config.json object; `file` names it in errors. */
  parseConfig(json: unknown, file?: string): C;
  /** Reads and validates `<folder>/config.json`. */
  readConfig(folder: string): C;
  /** The token id the processor expands once per image feature (LLaVA `image_token_index`, Qwen2-VL `image_token_id`); truncation must keep them all. */
  imageTokenId(config: C): number;
  /** Image size and per-channel mean/std the model's processor uses (CLIP and SigLIP differ); what augmentations must match. */
  imageNormalization(config: C): ImageNormalization;
  /** Every tensor of the model with its HF name, shape and part, in a stable order. */
  tensorSpecs(config: C): TensorSpec[];
  /** Declares the forward's inputs in `graph` and computes logits [B, S, V]. */
  forward(graph: Graph, config: C, weights: ReadonlyMap<string, TensorData>, options?: GraphOptions): ModelForward;
  /** Adds summed completion log-probs (TRL semantics) to `graph`, for a trainer to attach its loss to. */
  logProbs(graph: Graph, config: C, weights: ReadonlyMap<string, TensorData>, options?: GraphOptions): SequenceLogProbs;
  /** A standalone graph with outputs `logps` [B] and `token_counts` [B] (reference log-probs, evaluation). */
  buildLogProbGraph(config: C, weights: ReadonlyMap<string, TensorData>, options?: GraphOptions): SequenceLogProbs;
  /** The transformers.js inference graphs (embed_tokens, vision_encoder, decoder_model_merged with KV cache). */
  buildInferenceGraphs(config: C, weights: ReadonlyMap<string, TensorData>): InferenceGraphs;
  /** A `trainable` predicate over whole parts; the default `['text']` trains the language model, vision and projector frozen. */
  trainableParts(config: C, parts?: TensorSpec['part'][]): (name: string) => boolean;
  /** The `position_ids` the family's graphs take for a batch: [B, S] (1-D RoPE) or [3, B, S] (Qwen2-VL's M-RoPE), row-major. */
  positionIds(config: C, batch: BatchRows): { data: BigInt64Array; shape: number[] };
  /** Reads an HF checkpoint folder of this family (weights widened to float32, files that travel with them). */
  loadCheckpoint(folder: string): Promise<ModelCheckpoint<C>>;
  /** Writes an HF checkpoint folder (safetensors in `dtype`, sharded past `maxShardBytes`; config.json; model files); returns the files written. */
  saveCheckpoint(folder: string, config: C, weights: ReadonlyMap<string, TensorData>, options?: SaveCheckpointOptions): Promise<string[]>;
  /** Writes the transformers.js folder of a checkpoint's config, weights and files (re-export after training), with any `variants`. */
  writeInferenceFolder(dir: string, config: C, weights: ReadonlyMap<string, TensorData>, files: ModelFiles, options?: InferenceExportOptions): Promise<void>;
}

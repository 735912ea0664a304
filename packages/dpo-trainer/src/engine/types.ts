import type { LoraConfig, ModelConfig } from '@smart/models';
import type { TensorData } from '@smart/onnx-graph';

/** DPO loss variants (TRL `loss_type`); formulas in `src/losses/`. */
export type DpoLossType = 'sigmoid' | 'ipo' | 'hinge' | 'robust';

/** What the training graph minimises. */
export type Objective =
  | {
      kind: 'dpo';
      lossType: DpoLossType;
      /** β: strength of the KL penalty towards the reference (TRL `beta`, default 0.1). */
      beta: number;
      /** ε of the conservative (`sigmoid`) and `robust` losses (TRL `label_smoothing`, default 0). */
      labelSmoothing: number;
      /** α of the RPO term α·NLL(chosen) (TRL `rpo_alpha`); undefined = no term. */
      rpoAlpha?: number;
    }
  | { kind: 'sft' };

/** AdamW and clipping hyper-parameters (TRL / transformers `TrainingArguments` names in comments). */
export interface OptimizerOptions {
  beta1: number; // adam_beta1
  beta2: number; // adam_beta2
  epsilon: number; // adam_epsilon
  weightDecay: number; // weight_decay
  /** Global L2 norm the summed gradient is clipped to before AdamW (max_grad_norm); 0 or undefined = no clipping. */
  maxGradNorm?: number;
}

/** Where ORT runs the graphs. `cuda`/`webgpu` need their libraries (see README). */
export type ExecutionProvider = 'cpu' | 'cuda' | 'webgpu';

/** Everything an engine needs to build its graphs. */
export interface EngineOptions {
  /** The model's validated config; its family (`familyOf`) builds the graphs and the position ids. */
  config: ModelConfig;
  /** The start model's weights by HF name; also the DPO reference (frozen). */
  weights: ReadonlyMap<string, TensorData>;
  /** Full fine-tuning: which weights train (default the family's `trainableParts(config)`: language model + lm_head). Ignored with `lora`. */
  trainable?: (name: string) => boolean;
  /** LoRA: only the adapters train; the reference pass runs with adapters off. */
  lora?: { config: LoraConfig; adapters: ReadonlyMap<string, TensorData> };
  objective: Objective;
  optimizer: OptimizerOptions;
  /** How images enter the graphs (models' `GraphOptions.images`); default `pixels`. */
  images?: 'pixels' | 'features' | 'none';
  executionProvider?: ExecutionProvider;
  /** onnxruntime intra-op threads of the sessions (default: onnxruntime's, one per core); 1 is bit-reproducible. */
  intraOpThreads?: number;
  /** float64 for oracle tests; float32 otherwise (default). */
  dtype?: 'float32' | 'float64';
  /** Compute lm_head only at completion positions (default true); false = full [B, S, V] logits. */
  completionOnlyLmHead?: boolean;
  /** Folder for the ORT-role artifacts the sessions are loaded from (default: a fresh temp folder, removed by close()). */
  artifactsDir?: string;
}

/** Floats in the engine's dtype. */
export type FloatArray = Float32Array | Float64Array;

/**
 * Token rows as the graphs take them, row-major [rows, seqLen]. `completionMask[r, t] = 1` when token t of row r
 * is a completion token: it is scored by the logits at position t − 1 (labels shifted by one, TRL), so t = 0
 * never counts. Prompt and padding are 0.
 */
export interface TokenBatch {
  rows: number;
  seqLen: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  completionMask: BigInt64Array;
  /**
   * [rows, seqLen], or [3, rows, seqLen] for M-RoPE families (Qwen2-VL), row-major. Default: the family's
   * `positionIds` of the rows (and their images' grids).
   */
  positionIds?: BigInt64Array;
  /**
   * The batch's images in row order, joined along the first axis: LLaVA [num_images, 3, H, W] (or
   * [num_images, N, H] for `features`), Qwen2-VL's flattened patches [Σ patches, C·T·p·p].
   */
  pixelValues?: FloatArray;
  pixelShape?: number[];
  /** Qwen2-VL: one `image_grid_thw` row [t, h, w] per image, in the order of `pixelValues`. */
  imageGridThw?: [number, number, number][];
}

/** A DPO micro-batch: 2N rows, chosen rows 0..N−1 then their rejected rows N..2N−1 (same pair order). */
export interface PreferenceBatch extends TokenBatch {
  /** Summed completion log-probs of the reference model per row [2N] (never length-normalised; ipo normalises inside). */
  refLogProbs: Float64Array | Float32Array;
}

/** An SFT micro-batch: the loss is the token mean of −log π over all completion tokens of the batch. */
export type SftBatch = TokenBatch;

/** Per-row outputs of a log-prob pass. */
export interface LogProbs {
  /** Σ log π(token) over each row's completion tokens [rows]. */
  logps: Float64Array;
  /** Completion tokens per row [rows]. */
  tokenCounts: Float64Array;
}

/** One micro-batch's metrics with TRL's names (means over the micro-batch's pairs; SFT: `loss` and `tokens`). */
export interface StepMetrics {
  /** Unweighted loss of this micro-batch. */
  loss: number;
  /** Pairs (DPO) or rows (SFT) in the micro-batch: the weight for averaging metrics across micro-batches. */
  count: number;
  /** Completion tokens in the micro-batch. */
  tokens: number;
  'rewards/chosen'?: number;
  'rewards/rejected'?: number;
  'rewards/accuracies'?: number;
  'rewards/margins'?: number;
  'logps/chosen'?: number;
  'logps/rejected'?: number;
  'logits/chosen'?: number;
  'logits/rejected'?: number;
  /** RPO's NLL term (mean token NLL of the chosen rows), when `rpoAlpha` is set. */
  nll_loss?: number;
}

/** Trainable tensors and AdamW moments, taken between optimizer steps (the accumulator is empty then). */
export interface EngineState {
  /** Optimizer steps taken so far (AdamW's t of the last update). */
  step: number;
  /** Per trainable tensor name: its value and AdamW moments m (exp_avg) and v (exp_avg_sq). */
  tensors: Map<string, { param: FloatArray; m: FloatArray; v: FloatArray }>;
}

/** The training engine: owns the trainable tensors, AdamW state and ORT sessions; the trainer owns data and loops. */
export interface Engine {
  /** Summed completion log-probs per row; `reference` runs the frozen start model (LoRA: adapters off). */
  sequenceLogProbs(batch: TokenBatch, options?: { reference?: boolean }): Promise<LogProbs>;
  /**
   * Forward + backward of one micro-batch; adds `weight · ∂loss/∂θ` to the gradient accumulator. With
   * weight = (micro-batch pairs) / (pairs in the optimizer step) the accumulated gradient equals one large batch's.
   */
  accumulate(batch: PreferenceBatch | SftBatch, weight: number): Promise<StepMetrics>;
  /** Clips the accumulated gradient to max_grad_norm, runs AdamW at `lr`, zeroes the accumulator; returns the pre-clip norm. */
  applyUpdate(lr: number): Promise<{ gradNorm: number }>;
  /** A copy of the trainable tensors and optimizer state (for exact resume). */
  getState(): EngineState;
  /** Restores what getState returned (same tensor names and shapes; typed error otherwise). */
  setState(state: EngineState): void;
  /** The current trainable tensors by name (full weights or LoRA adapters), as copies. */
  trainableTensors(): Map<string, TensorData>;
  /** Rewrites the artifacts' `checkpoint.safetensors` with the current tensors, moments and step; returns its path. */
  writeCheckpoint(): Promise<string>;
  /** Folder holding the artifacts the sessions run (training, optimizer, eval graphs and checkpoint). */
  readonly artifactsDir: string;
  /** Releases the sessions (and removes a temp artifacts folder). */
  close(): Promise<void>;
}

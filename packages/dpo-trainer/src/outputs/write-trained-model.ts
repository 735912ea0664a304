import { familyOf, type CheckpointDType, type LoraConfig, type ModelConfig, type ModelFiles } from '@smart/models';
import type { TensorData } from '@smart/onnx-graph';
import { join } from 'node:path';
import { mergeLora, toFloat32 } from './merge-lora';
import { writePeftAdapter } from './peft-adapter';

/** Options of writeTrainedModel. */
export interface TrainedModelOptions {
  outputDir: string;
  /** The model's config; its family writes the checkpoint and the inference folder. */
  config: ModelConfig;
  /** The start model's weights (HF names). */
  base: ReadonlyMap<string, TensorData>;
  /** The engine's trained tensors: full weights, or LoRA adapters when `lora` is set. */
  trained: ReadonlyMap<string, TensorData>;
  /** Tokenizer, chat-template and processor files of the start checkpoint (the family's `loadCheckpoint(...).files`). */
  files: ModelFiles;
  lora?: LoraConfig;
  /** LoRA: also write the merged weights as an HF checkpoint (PEFT merge_and_unload). Default false. */
  mergeLora?: boolean;
  /** Write the transformers.js inference folder the next iteration generates with. Default true. */
  inferenceFolder?: boolean;
  /** Element type of the HF checkpoint's float tensors (`float16` / `bfloat16` round to nearest even, as torch); default float32. The transformers.js folder stays float32. */
  checkpointDtype?: CheckpointDType;
  /** Recorded as the adapter's base_model_name_or_path. */
  baseModel?: string;
}

/** Folders writeTrainedModel wrote, absolute. */
export interface TrainedModelFolders {
  /** HF checkpoint (full fine-tuning, or merged LoRA on request). */
  checkpointDir?: string;
  /** PEFT adapter folder (LoRA). */
  adapterDir?: string;
  /** transformers.js inference folder. */
  modelDir?: string;
}

/**
 * The trained model on disk: `checkpoint/` (HF folder with tokenizer and processor files; Python
 * transformers and vLLM load it), `adapter/` for LoRA (PEFT), and `model/` (transformers.js export).
 */
export async function writeTrainedModel(o: TrainedModelOptions): Promise<TrainedModelFolders> {
  const family = familyOf(o.config);
  const trained = toFloat32(o.trained);
  const out: TrainedModelFolders = {};
  let weights: Map<string, TensorData>;
  if (o.lora) {
    out.adapterDir = join(o.outputDir, 'adapter');
    await writePeftAdapter(out.adapterDir, trained, o.lora, o.baseModel ?? '');
    weights = mergeLora(o.base, trained, o.lora);
  } else {
    weights = new Map([...o.base, ...trained]);
  }
  weights = toFloat32(weights);
  if (!o.lora || o.mergeLora) {
    out.checkpointDir = join(o.outputDir, 'checkpoint');
    await family.saveCheckpoint(out.checkpointDir, o.config, weights, { files: o.files, ...(o.checkpointDtype ? { dtype: o.checkpointDtype } : {}) });
  }
  if (o.inferenceFolder ?? true) {
    out.modelDir = join(o.outputDir, 'model');
    await family.writeInferenceFolder(out.modelDir, o.config, weights, o.files);
  }
  return out;
}

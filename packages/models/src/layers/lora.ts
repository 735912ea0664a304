import type { TensorData } from '@smart/onnx-graph';
import { createRng } from '@smart/core';

/** LoRA settings (Hu et al. 2021): W' = W + (alpha / rank)·B·A on the target linear layers. */
export interface LoraConfig {
  rank: number;
  alpha: number;
  /** Linear layer names to adapt, matched on the last path segment (e.g. `q_proj`, `v_proj`). */
  targetModules: string[];
}

/** Default targets: all attention and MLP projections of the language model. */
export const DEFAULT_LORA_TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];

/** PEFT's adapter tensor names for a linear layer `<prefix>` (`<prefix>.lora_A.weight` [r, in], `.lora_B.weight` [out, r]). */
export function loraNames(prefix: string): { a: string; b: string } {
  return { a: `${prefix}.lora_A.weight`, b: `${prefix}.lora_B.weight` };
}

// Where each family keeps its language model: LLaVA `language_model.*`, Qwen2-VL `model.layers.*` (its ViT is `visual.*`).
const LANGUAGE_MODEL_PREFIXES = ['language_model.', 'model.layers.'];

/** Whether the linear layer `<prefix>` (e.g. `language_model.model.layers.0.self_attn.q_proj`) is a LoRA target. */
export function isLoraTarget(prefix: string, lora: LoraConfig): boolean {
  return LANGUAGE_MODEL_PREFIXES.some((p) => prefix.startsWith(p)) && lora.targetModules.includes(prefix.slice(prefix.lastIndexOf('.') + 1));
}

/**
 * Fresh adapters for every targeted linear layer of `weights`: A ~ N(0, 1/in)·(Kaiming-like), B = 0, so
 * the adapted model starts equal to the base model (PEFT's default init).
 */
export function initLoraWeights(weights: ReadonlyMap<string, TensorData>, lora: LoraConfig, seed: number): Map<string, TensorData> {
  const rng = createRng(seed).stream('lora');
  const out = new Map<string, TensorData>();
  for (const [name, t] of weights) {
    if (!name.endsWith('.weight') || t.shape.length !== 2) continue;
    const prefix = name.slice(0, -'.weight'.length);
    if (!isLoraTarget(prefix, lora)) continue;
    const [outDim, inDim] = t.shape as [number, number];
    const bound = 1 / Math.sqrt(inDim);
    const a = new Float32Array(lora.rank * inDim).map(() => (2 * rng.next() - 1) * bound);
    const names = loraNames(prefix);
    out.set(names.a, { dtype: 'float32', shape: [lora.rank, inDim], data: a });
    out.set(names.b, {
      dtype: 'float32',
      shape: [outDim, lora.rank],
      data: new Float32Array(outDim * lora.rank),
    });
  }
  return out;
}

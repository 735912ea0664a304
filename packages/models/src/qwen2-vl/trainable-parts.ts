import type { TensorSpec } from '../weights/tensor-spec';
import type { Qwen2VlConfig } from './qwen2-vl-config';
import { qwen2VlTensorSpecs } from './tensor-names';

/**
 * A `trainable` predicate over whole parts of Qwen2-VL: `text` (language model + lm_head, the default), `projector`
 * (the PatchMerger), `vision` (the ViT). The default freezes the vision tower and merger.
 */
export function qwen2VlTrainableParts(config: Qwen2VlConfig, parts: TensorSpec['part'][] = ['text']): (name: string) => boolean {
  const names = new Set(
    qwen2VlTensorSpecs(config)
      .filter((s) => parts.includes(s.part))
      .map((s) => s.name),
  );
  return (name) => names.has(name);
}

import type { LlavaConfig } from './llava-config';
import type { TensorSpec } from '../weights/tensor-spec';
import { llavaTensorSpecs } from './tensor-names';

/**
 * A `trainable` predicate selecting whole parts of the model. The default, `['text']`, trains the language
 * model and lm_head with the vision tower and projector frozen (the released SMART recipe).
 */
export function trainableParts(config: LlavaConfig, parts: TensorSpec['part'][] = ['text']): (name: string) => boolean {
  const names = new Set(
    llavaTensorSpecs(config)
      .filter((s) => parts.includes(s.part))
      .map((s) => s.name),
  );
  return (name) => names.has(name);
}

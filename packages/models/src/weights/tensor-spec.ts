/** A tensor a model expects: HF name and shape. */
export interface TensorSpec {
  name: string;
  shape: number[];
  /** Part of the model the tensor belongs to (used to pick trainable sets). */
  part: 'vision' | 'projector' | 'text';
}

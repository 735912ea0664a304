import type { TensorData } from '@smart/onnx-graph';
import { MissingTensorError, TensorShapeError } from '../errors';
import type { TensorSpec } from './tensor-spec';

/** Checks that `weights` holds every tensor of `specs` with its shape; throws naming the first bad one. */
export function checkTensorSpecs(specs: readonly TensorSpec[], weights: ReadonlyMap<string, TensorData>, folder = '<weights>'): void {
  for (const spec of specs) {
    const t = weights.get(spec.name);
    if (!t) throw new MissingTensorError(folder, spec.name);
    if (t.shape.length !== spec.shape.length || t.shape.some((d, i) => d !== spec.shape[i])) throw new TensorShapeError(folder, spec.name, spec.shape, t.shape);
  }
}

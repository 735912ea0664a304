import { Graph, type TensorData, type Value } from '@smart/onnx-graph';
import { ModelsError } from '../errors';
import { isLoraTarget, loraNames, type LoraConfig } from './lora';

/** Missing weight while building a graph. */
export class MissingWeightError extends ModelsError {
  constructor(readonly tensor: string) {
    super(`weight '${tensor}' is missing`);
  }
}

/** A LoRA adapter pair of one linear layer as graph values. */
export interface LoraAdapter {
  a: Value; // [r, in]
  b: Value; // [out, r]
  scale: number;
}

/** Looks up a weight by its HF name as a graph value; `lora` returns the adapter of a linear layer, if any. */
export type WeightLookup = ((name: string) => Value) & {
  lora?: (prefix: string) => LoraAdapter | undefined;
};

/** How a graph receives weights: frozen ones as initializers, trainable ones as graph inputs. */
export interface BoundWeights {
  get: WeightLookup;
  /** Trainable weights in the order they became graph inputs (names = HF names). */
  trainable: Value[];
  /** Whether a weight exists in the source. */
  has(name: string): boolean;
}

/**
 * Binds named tensors into `graph` lazily: a weight becomes an initializer (or, when `trainable(name)`,
 * a graph input of the same name) the first time a layer asks for it, so unused tensors cost nothing.
 */
export function bindWeights(
  graph: Graph,
  tensors: ReadonlyMap<string, TensorData>,
  options: {
    trainable?: (name: string) => boolean;
    lora?: { config: LoraConfig; adapters: ReadonlyMap<string, TensorData> };
  } = {},
): BoundWeights {
  const bound = new Map<string, Value>();
  const trainable: Value[] = [];
  const get = ((name: string) => {
    const hit = bound.get(name);
    if (hit) return hit;
    const t = tensors.get(name);
    if (!t) throw new MissingWeightError(name);
    let v: Value;
    if (options.trainable?.(name)) {
      v = graph.input(name, t.dtype, t.shape);
      trainable.push(v);
    } else {
      v = graph.initializer(name, t);
    }
    bound.set(name, v);
    return v;
  }) as WeightLookup;
  const lora = options.lora;
  if (lora) {
    // Adapters are always graph inputs (they are what trains); the base stays frozen as initializers.
    get.lora = (prefix) => {
      if (!isLoraTarget(prefix, lora.config)) return undefined;
      const names = loraNames(prefix);
      const input = (name: string): Value => {
        const hit = bound.get(name);
        if (hit) return hit;
        const t = lora.adapters.get(name);
        if (!t) throw new MissingWeightError(name);
        const v = graph.input(name, t.dtype, t.shape);
        trainable.push(v);
        bound.set(name, v);
        return v;
      };
      return {
        a: input(names.a),
        b: input(names.b),
        scale: lora.config.alpha / lora.config.rank,
      };
    };
  }
  return { get, trainable, has: (name) => tensors.has(name) };
}

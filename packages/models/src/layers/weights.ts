import { Graph, type TensorData, type Value } from '@smart/onnx-graph';
import { MissingWeightError } from '../errors';
import { isLoraTarget, loraNames, type LoraConfig } from './lora';

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
}

/**
 * Binds named tensors into `graph` lazily: a weight becomes an initializer (or, when `trainable(name)`,
 * a graph input of the same name) the first time a layer asks for it, so unused tensors cost nothing.
 * LoRA adapters are always graph inputs (they are what trains); the base stays frozen as initializers.
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
  const bind = (source: ReadonlyMap<string, TensorData>, name: string, asInput: boolean): Value => {
    const hit = bound.get(name);
    if (hit) return hit;
    const t = source.get(name);
    if (!t) throw new MissingWeightError(name);
    const v = asInput ? graph.input(name, t.dtype, t.shape) : graph.initializer(name, t);
    if (asInput) trainable.push(v);
    bound.set(name, v);
    return v;
  };
  const get: WeightLookup = (name) => bind(tensors, name, options.trainable?.(name) ?? false);
  const lora = options.lora;
  if (lora) {
    get.lora = (prefix) => {
      if (!isLoraTarget(prefix, lora.config)) return undefined;
      const names = loraNames(prefix);
      return { a: bind(lora.adapters, names.a, true), b: bind(lora.adapters, names.b, true), scale: lora.config.alpha / lora.config.rank };
    };
  }
  return { get, trainable };
}

import type { Graph, TensorData } from '@smart/onnx-graph';
import { dequantizeQ4Blocks, quantizeMatMulsQ4, quantizeQ4Blocks } from '../src/weights/matmul-nbits';

/**
 * `weights` with every tensor a q4 variant of `graphs` stores in 4 bits replaced by its dequantized values (what
 * MatMulNBits multiplies by): fp32 graphs built from these compute what the q4 graphs compute. Rewrites `graphs`.
 */
export function q4RoundedWeights(weights: ReadonlyMap<string, TensorData>, graphs: Graph[]): Map<string, TensorData> {
  const rounded = new Map(weights);
  for (const name of new Set(graphs.flatMap((g) => quantizeMatMulsQ4(g)))) {
    const t = weights.get(name)!;
    const [n, k] = t.shape as [number, number];
    rounded.set(name, { ...t, data: dequantizeQ4Blocks(quantizeQ4Blocks(t.data as Float32Array, n, k, 32), n, k, 32) });
  }
  return rounded;
}

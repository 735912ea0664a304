import { narrow16, type Graph } from '@smart/onnx-graph';
import { quantizeMatMulsQ4 } from './matmul-nbits';

/** transformers.js `dtype` values this package exports, with the onnx-community file suffix each loads. */
export const GRAPH_VARIANT_SUFFIXES = { fp16: '_fp16', q8: '_quantized', q4: '_q4' } as const;
export type GraphVariant = keyof typeof GRAPH_VARIANT_SUFFIXES;

/**
 * Rewrites a built graph so its large float32 weights (rank ≥ 2, at least `minElements`) are stored smaller:
 * `fp16` as float16 with a Cast back, `q8` as int8 with one symmetric scale per output row (axis 0) and a
 * DequantizeLinear. Inputs, outputs and arithmetic stay float32, so every runtime that runs the fp32 graph
 * runs these, with the same feeds; the files are 1/2 and ~1/4 the size. `q4` replaces the MatMuls by stored
 * weights with K a multiple of 32 by com.microsoft MatMulNBits (4-bit blocks of 32, one float32 scale each, ~1/6.4
 * the bytes; quantizeMatMulsQ4) and leaves every other weight float32, as onnx-community's `_q4` files.
 */
export function storeWeightsAs(graph: Graph, variant: GraphVariant, minElements = 256): void {
  if (variant === 'q4') {
    quantizeMatMulsQ4(graph, 32, minElements);
    return;
  }
  const casts = [];
  for (const [name, init] of [...graph.initializers]) {
    const { data, value } = init;
    if (data.dtype !== 'float32' || data.shape.length < 2 || data.data.length < minElements) continue;
    const values = data.data as Float32Array;
    graph.initializers.delete(name);
    if (variant === 'fp16') {
      const stored = graph.initializer(`${name}_fp16`, { dtype: 'float16', shape: data.shape, data: narrow16(values, 'float16') });
      casts.push({ name: graph.uniqueName(`${name}_cast`), opType: 'Cast', domain: '', inputs: [stored], outputs: [value], attrs: { to: { kind: 'int' as const, value: 1 } } });
      continue;
    }
    const rows = data.shape[0]!;
    const cols = values.length / rows;
    const scales = new Float32Array(rows);
    const q = new Int8Array(values.length);
    for (let r = 0; r < rows; r++) {
      let max = 0;
      for (let c = 0; c < cols; c++) max = Math.max(max, Math.abs(values[r * cols + c]!));
      const scale = max > 0 ? max / 127 : 1;
      scales[r] = scale;
      for (let c = 0; c < cols; c++) q[r * cols + c] = Math.max(-127, Math.min(127, Math.round(values[r * cols + c]! / scale)));
    }
    const stored = graph.initializer(`${name}_quantized`, { dtype: 'int8', shape: data.shape, data: q });
    const scale = graph.initializer(`${name}_scale`, { dtype: 'float32', shape: [rows], data: scales });
    const zero = graph.initializer(`${name}_zero_point`, { dtype: 'int8', shape: [rows], data: new Int8Array(rows) });
    casts.push({
      name: graph.uniqueName(`${name}_dequantize`),
      opType: 'DequantizeLinear',
      domain: '',
      inputs: [stored, scale, zero],
      outputs: [value],
      attrs: { axis: { kind: 'int' as const, value: 0 } },
    });
  }
  // Ahead of every consumer, so the node order stays topological.
  graph.nodes.unshift(...casts);
}

import { type Graph, type GraphNode, type Value } from '@smart/onnx-graph';

/** A weight [N, K] (HF Linear layout) in onnxruntime's MatMulNBits 4-bit block format. */
export interface Q4Blocks {
  /** [N, K / blockSize, blockSize / 2]: two codes a byte along K, the lower-indexed one in the low nibble. */
  packed: Uint8Array;
  /** [N · K / blockSize]: one scale per block; a weight is (code − 8) · scale (8 is the op's default zero point). */
  scales: Float32Array;
}

/**
 * Symmetric 4-bit block quantization of `w` ([n, k] row-major, k a multiple of `blockSize`), as onnxruntime's
 * MatMul4BitsQuantizer does: each block's largest-magnitude value maps exactly to code 0 (−8 · scale), the rest
 * round to nearest within codes 0..15.
 */
export function quantizeQ4Blocks(w: Float32Array, n: number, k: number, blockSize: number): Q4Blocks {
  const blocks = k / blockSize;
  const packed = new Uint8Array((n * k) / 2);
  const scales = new Float32Array(n * blocks);
  for (let r = 0; r < n; r++) {
    for (let b = 0; b < blocks; b++) {
      const start = r * k + b * blockSize;
      let amax = 0;
      for (let i = 0; i < blockSize; i++) if (Math.abs(w[start + i]!) > Math.abs(amax)) amax = w[start + i]!;
      const scale = Math.fround(amax / -8);
      scales[r * blocks + b] = scale;
      const inv = scale === 0 ? 0 : 1 / scale;
      for (let i = 0; i < blockSize; i += 2) {
        const lo = Math.max(0, Math.min(15, Math.round(w[start + i]! * inv) + 8));
        const hi = Math.max(0, Math.min(15, Math.round(w[start + i + 1]! * inv) + 8));
        packed[start / 2 + i / 2] = lo | (hi << 4);
      }
    }
  }
  return { packed, scales };
}

/** The weights `quantizeQ4Blocks` stores, as the op reads them back ([n, k] row-major). */
export function dequantizeQ4Blocks(q: Q4Blocks, n: number, k: number, blockSize: number): Float32Array {
  const out = new Float32Array(n * k);
  for (let i = 0; i < n * k; i++) {
    const byte = q.packed[i >> 1]!;
    const code = i & 1 ? byte >> 4 : byte & 15;
    out[i] = (code - 8) * q.scales[Math.floor(i / blockSize)]!;
  }
  return out;
}

const int = (value: number) => ({ kind: 'int' as const, value });

/** The float32 [N, K] weight a MatMul's right operand stands for, when it is a stored weight (as is or through Transpose [1, 0]). */
function linearWeight(graph: Graph, b: Value | undefined): { source: string; nk: Float32Array; n: number; k: number } | undefined {
  if (!b || b.dtype !== 'float32' || b.rank !== 2) return undefined;
  const direct = graph.initializers.get(b.name);
  if (direct) {
    // A [K, N] weight: transposed into MatMulNBits' [N, K].
    const [k, n] = direct.data.shape as [number, number];
    const src = direct.data.data as Float32Array;
    const nk = new Float32Array(n * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) nk[j * k + i] = src[i * n + j]!;
    return { source: b.name, nk, n, k };
  }
  const t = b.producer;
  const perm = t?.attrs['perm'];
  const stored = t?.opType === 'Transpose' && t.inputs[0] ? graph.initializers.get(t.inputs[0].name) : undefined;
  if (!stored || stored.data.dtype !== 'float32' || perm?.kind !== 'ints' || perm.value.join() !== '1,0') return undefined;
  const [n, k] = stored.data.shape as [number, number];
  return { source: stored.value.name, nk: stored.data.data as Float32Array, n, k };
}

/**
 * Replaces every MatMul by a stored float32 weight whose K is a multiple of `blockSize` (and with at least
 * `minElements` elements) with com.microsoft MatMulNBits (bits 4, symmetric, default zero point), then drops
 * the Transposes and float weights nothing reads any more. Other nodes stay float32; I/O is unchanged.
 * Returns the names of the weights now stored in 4 bits.
 */
export function quantizeMatMulsQ4(graph: Graph, blockSize = 32, minElements = 256): string[] {
  const replaced = new Set<string>();
  graph.nodes.forEach((node, index) => {
    if (node.opType !== 'MatMul' || node.domain !== '') return;
    const a = node.inputs[0];
    const w = linearWeight(graph, node.inputs[1]);
    if (!a || !w || w.k % blockSize !== 0 || w.n * w.k < minElements || a.shape[a.rank - 1] !== w.k) return;
    const q = quantizeQ4Blocks(w.nk, w.n, w.k, blockSize);
    const base = graph.uniqueName(`${node.name}_q4`);
    const packed = graph.initializer(`${base}_B`, { dtype: 'uint8', shape: [w.n, w.k / blockSize, blockSize / 2], data: q.packed });
    const scales = graph.initializer(`${base}_scales`, { dtype: 'float32', shape: [(w.n * w.k) / blockSize], data: q.scales });
    const nbits: GraphNode = {
      name: base,
      opType: 'MatMulNBits',
      domain: 'com.microsoft',
      inputs: [a, packed, scales],
      outputs: node.outputs,
      attrs: { K: int(w.k), N: int(w.n), bits: int(4), block_size: int(blockSize) },
    };
    graph.nodes[index] = nbits;
    replaced.add(w.source);
  });
  dropUnread(graph);
  return [...replaced];
}

/** Removes nodes whose outputs nobody reads (Transposes of replaced weights) and initializers left unread, to a fixed point. */
function dropUnread(graph: Graph): void {
  const outputs = new Set(graph.outputs.map((v) => v.name));
  for (;;) {
    const read = new Set(graph.nodes.flatMap((n) => n.inputs.map((v) => v?.name)));
    const before = graph.nodes.length;
    const kept = graph.nodes.filter((n) => n.opType !== 'Transpose' || n.outputs.some((v) => read.has(v.name) || outputs.has(v.name)));
    graph.nodes.splice(0, graph.nodes.length, ...kept);
    if (kept.length === before) {
      for (const name of [...graph.initializers.keys()]) if (!read.has(name) && !outputs.has(name)) graph.initializers.delete(name);
      return;
    }
  }
}

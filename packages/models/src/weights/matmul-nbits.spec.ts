import { Graph, matmul, serializeModel, transpose } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { dequantizeQ4Blocks, quantizeMatMulsQ4, quantizeQ4Blocks } from './matmul-nbits';

const wave = (n: number, f: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * f) * (1 + (i % 7) / 3));

describe('4-bit MatMulNBits weights', () => {
  it('packs two codes a byte (low nibble first), the block maximum exact, every value within half a step', () => {
    const w = Float32Array.from({ length: 64 }, (_, i) => (i - 20) / 10); // one row, two blocks of 32
    w[5] = -3; // block 0's largest magnitude, negative
    const q = quantizeQ4Blocks(w, 1, 64, 32);
    expect(q.packed).toHaveLength(32);
    expect([...q.scales]).toEqual([Math.fround(-3 / -8), Math.fround(4.3 / -8)]);
    // w[0] = -2 → round(-2 / 0.375) + 8 = 3; w[1] = -1.9 → round(-5.07) + 8 = 3: byte 0x33.
    expect(q.packed[0]).toBe(0x33);
    expect(q.packed[2]! & 15).toBe(4); // w[4] = -1.6 → round(-4.27) + 8
    const back = dequantizeQ4Blocks(q, 1, 64, 32);
    expect(back[5]).toBeCloseTo(-3, 6);
    expect(back[63]).toBeCloseTo(4.3, 6);
    for (let i = 0; i < 64; i++) expect(Math.abs(back[i]! - w[i]!)).toBeLessThanOrEqual(Math.abs(q.scales[i >> 5]!) / 2 + 1e-6);
  });

  it('onnxruntime runs the rewritten graph and its output equals x · dequantized Wᵀ (both weight layouts)', async () => {
    const [n, k, m] = [24, 64, 3];
    const g = new Graph('q4');
    const x = g.input('x', 'float32', [m, k]);
    const hf = g.initializer('linear.weight', { dtype: 'float32', shape: [n, k], data: wave(n * k, 0.37) }); // [out, in]
    const kn = g.initializer('plain', { dtype: 'float32', shape: [k, n], data: wave(k * n, 0.53) }); // [in, out]
    g.output(matmul(x, transpose(hf, [1, 0])), 'y');
    g.output(matmul(x, kn), 'z');
    expect(quantizeMatMulsQ4(g)).toEqual(['linear.weight', 'plain']);
    expect(g.nodes.map((node) => `${node.domain}:${node.opType}`)).toEqual(['com.microsoft:MatMulNBits', 'com.microsoft:MatMulNBits']);
    // The float weights and the Transpose are gone: only the packed codes and scales remain.
    expect([...g.initializers.values()].map((i) => i.data.dtype).sort()).toEqual(['float32', 'float32', 'uint8', 'uint8']);

    const xs = wave(m * k, 0.11);
    const session = await ort.InferenceSession.create(serializeModel(g).model);
    const out = await session.run({ x: new ort.Tensor('float32', xs, [m, k]) });
    const expectOf = (wnk: Float32Array) => {
      const q = dequantizeQ4Blocks(quantizeQ4Blocks(wnk, n, k, 32), n, k, 32);
      return Float32Array.from({ length: m * n }, (_, i) => {
        let s = 0;
        for (let j = 0; j < k; j++) s += xs[Math.floor(i / n) * k + j]! * q[(i % n) * k + j]!;
        return s;
      });
    };
    const plainNk = Float32Array.from({ length: n * k }, (_, i) => wave(k * n, 0.53)[(i % k) * n + Math.floor(i / k)]!);
    for (const [name, wnk] of [['y', wave(n * k, 0.37)], ['z', plainNk]] as const) {
      const got = out[name]!.data as Float32Array;
      const want = expectOf(wnk);
      for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
    }
  });

  it('leaves a MatMul alone when K is not a multiple of the block size or the weight is small', () => {
    const g = new Graph('kept');
    const x = g.input('x', 'float32', [2, 48]);
    g.output(matmul(x, g.initializer('w', { dtype: 'float32', shape: [48, 16], data: wave(48 * 16, 0.2) })), 'y');
    const h = g.input('h', 'float32', [2, 32]);
    g.output(matmul(h, g.initializer('v', { dtype: 'float32', shape: [32, 4], data: wave(128, 0.2) })), 'z');
    expect(quantizeMatMulsQ4(g, 32, 256)).toEqual([]);
    expect(quantizeMatMulsQ4(g, 16, 256)).toEqual(['w']); // 48 = 3 · 16
    expect(g.nodes.filter((node) => node.opType === 'MatMul')).toHaveLength(1);
  });
});

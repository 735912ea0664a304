import { Value, attr } from '../graph';
import type { GradRule } from '../grad-rule';
import { Dim } from '../shape';
import { mul } from './elementwise';
import { sumToShape } from './reduce';
import { reshape, transpose, unsqueeze } from './shape-ops';

/** Matrix product with numpy semantics: [..., M, K] @ [..., K, N] -> [..., M, N]. */
export function matmul(a: Value, b: Value, name?: string): Value {
  return a.graph.emit('MatMul', [a, b], {}, (ctx) => {
    ctx.dtype(a, 'float');
    ctx.same(a, b);
    if (a.rank < 1 || b.rank < 1) ctx.fail('MatMul inputs need rank >= 1');
    const as = a.rank === 1 ? [1, a.shape[0]!] : a.shape;
    const bs = b.rank === 1 ? [b.shape[0]!, 1] : b.shape;
    const k1 = as[as.length - 1]!;
    const k2 = bs[bs.length - 2]!;
    if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2) ctx.fail(`inner dims differ: ${k1} vs ${k2}`);
    const batch = ctx.broadcast(as.slice(0, -2), bs.slice(0, -2));
    const out: Dim[] = [...batch];
    if (a.rank > 1) out.push(as[as.length - 2]!);
    if (b.rank > 1) out.push(bs[bs.length - 1]!);
    return [{ dtype: a.dtype, shape: out }];
  }, { name })[0]!;
}

/** Y = alpha·A'·B' + beta·C with A' = transA ? Aᵀ : A (2-D only). */
export function gemm(
  a: Value,
  b: Value,
  c?: Value,
  opts: { alpha?: number; beta?: number; transA?: boolean; transB?: boolean } = {},
  name?: string,
): Value {
  const { alpha = 1, beta = 1, transA = false, transB = false } = opts;
  const attrs = { alpha: attr.float(alpha), beta: attr.float(beta), transA: attr.int(transA ? 1 : 0), transB: attr.int(transB ? 1 : 0) };
  return a.graph.emit('Gemm', c ? [a, b, c] : [a, b], attrs, (ctx) => {
    ctx.dtype(a, 'float');
    ctx.same(...(c ? [a, b, c] : [a, b]));
    if (a.rank !== 2 || b.rank !== 2) ctx.fail('Gemm needs 2-D A and B');
    const [m, k1] = transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
    const [k2, n] = transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
    if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2) ctx.fail(`inner dims differ: ${k1} vs ${k2}`);
    if (c) ctx.broadcast([m, n], c.shape);
    return [{ dtype: a.dtype, shape: [m, n] }];
  }, { name })[0]!;
}

function swapLast(x: Value): Value {
  const perm = x.shape.map((_, i) => i);
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1]!, perm[x.rank - 2]!];
  return transpose(x, perm);
}

/** Flattens leading axes: [..., K] -> [-1, K]. */
const flat2d = (x: Value): Value => reshape(x, [-1, x.shape[x.rank - 1] as number]);

/** Gradient rules of MatMul and Gemm. */
export const matmulGradRules: Record<string, GradRule> = {
  MatMul: ({ inputs, dOut, needs }) => {
    const [a0, b0] = inputs as [Value, Value];
    const dy0 = dOut[0]!;
    // Rank-1 operands act as [1, K] / [K, 1]; lift them so one set of rules applies.
    const a = a0.rank === 1 ? reshape(a0, [1, -1]) : a0;
    const b = b0.rank === 1 ? reshape(b0, [-1, 1]) : b0;
    let dy = dy0;
    if (b0.rank === 1) dy = unsqueeze(dy, [dy.rank]);
    if (a0.rank === 1) dy = unsqueeze(dy, [dy.rank - 1]);
    let da: Value | undefined;
    let db: Value | undefined;
    if (needs[0]) {
      da = sumToShape(matmul(dy, swapLast(b)), a);
      if (a0.rank === 1) da = reshape(da, [-1]);
    }
    if (needs[1]) {
      // A weight shared across the batch: one [K, M·batch] x [M·batch, N] product instead of a batched one + ReduceSum.
      const kShape = a.shape[a.rank - 1];
      const nShape = dy.shape[dy.rank - 1];
      if (b.rank === 2 && a.rank > 2 && typeof kShape === 'number' && typeof nShape === 'number') db = gemm(flat2d(a), flat2d(dy), undefined, { transA: true });
      else db = sumToShape(matmul(swapLast(a), dy), b);
      if (b0.rank === 1) db = reshape(db, [-1]);
    }
    return [da, db];
  },
  Gemm: ({ node, inputs, dOut, needs }) => {
    const [a, b, c] = inputs as [Value, Value, Value | undefined];
    const dy = dOut[0]!;
    const alpha = (node.attrs['alpha']?.value as number) ?? 1;
    const beta = (node.attrs['beta']?.value as number) ?? 1;
    const tA = node.attrs['transA']?.value === 1;
    const tB = node.attrs['transB']?.value === 1;
    const da = !needs[0] ? undefined : tA ? gemm(b, dy, undefined, { alpha, transA: tB, transB: true }) : gemm(dy, b, undefined, { alpha, transB: !tB });
    const db = !needs[1] ? undefined : tB ? gemm(dy, a, undefined, { alpha, transA: true, transB: tA }) : gemm(a, dy, undefined, { alpha, transA: !tA });
    const dc = c && needs[2] ? sumToShape(beta === 1 ? dy : mul(dy, beta), c) : undefined;
    return [da, db, dc];
  },
};

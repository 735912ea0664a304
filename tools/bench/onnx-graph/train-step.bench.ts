/**
 * @smart/onnx-graph: one fused training step (forward + backward + AdamW in one session.run) of a
 * decoder-only transformer (d=512, 8 heads, 4 layers, seq 256, batch 4, vocab 4096, float32) on ORT's
 * CPU provider. Achieved FLOP/s counts the graph's MatMul/Gemm work (exact, from static shapes) and is
 * compared with the MatMul ceiling: one large MatMul through ORT, measured in the same run.
 * Also reports graph build, serialization and session-creation times, and peak RSS.
 */
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import {
  Graph,
  Value,
  add,
  cast,
  constantOfShape,
  gather,
  gelu,
  labelLogProbs,
  layerNorm,
  matmul,
  mul,
  neg,
  reduceMean,
  reshape,
  serializeModel,
  softmax,
  staticSize,
  trainingStep,
  transpose,
  trilu,
  where,
} from '@smart/onnx-graph';
import { measure } from '../lib/measure';
import { printTable } from '../lib/table';

const [B, T, D, H, L, V] = [4, 256, 512, 8, 4, 4096];
const F = 4 * D;
const DH = D / H;

function buildStep(): { g: Graph; params: Value[] } {
  const g = new Graph('train_step');
  const params: Value[] = [];
  const p = (name: string, shape: number[]) => {
    const v = g.input(name, 'float32', shape);
    params.push(v);
    return v;
  };
  const ids = g.input('ids', 'int64', [B, T]);
  const labels = g.input('labels', 'int64', [B, T]);
  let x = gather(p('embed', [V, D]), ids); // [B, T, D]
  const causal = cast(trilu(constantOfShape(g, [T, T], 1, 'float32'), false), 'bool');
  const heads = (v: Value) => transpose(reshape(v, [B, T, H, DH]), [0, 2, 1, 3]); // [B, H, T, DH]
  for (let l = 0; l < L; l++) {
    const h = layerNorm(x, p(`l${l}.ln1.g`, [D]), p(`l${l}.ln1.b`, [D]));
    const [q, k, v] = ['q', 'k', 'v'].map((n) => heads(matmul(h, p(`l${l}.w${n}`, [D, D]))));
    const s = mul(matmul(q!, transpose(k!, [0, 1, 3, 2])), 1 / Math.sqrt(DH)); // [B, H, T, T]
    const att = matmul(softmax(where(causal, s, -1e9), -1), v!); // [B, H, T, DH]
    x = add(x, matmul(reshape(transpose(att, [0, 2, 1, 3]), [B, T, D]), p(`l${l}.wo`, [D, D])));
    const h2 = layerNorm(x, p(`l${l}.ln2.g`, [D]), p(`l${l}.ln2.b`, [D]));
    const up = gelu(add(matmul(h2, p(`l${l}.w1`, [D, F])), p(`l${l}.b1`, [F])), 'tanh');
    x = add(x, add(matmul(up, p(`l${l}.w2`, [F, D])), p(`l${l}.b2`, [D])));
  }
  const logits = matmul(layerNorm(x, p('lnf.g', [D]), p('lnf.b', [D])), p('head', [D, V])); // [B, T, V]
  const loss = g.output(neg(reduceMean(labelLogProbs(logits, labels), undefined, false)), 'loss');
  trainingStep(g, loss, params, { weightDecay: 0.01, maxGradNorm: 1 });
  return { g, params };
}

/** 2·M·N·K per MatMul/Gemm (batch dims included), from the graph's static shapes. */
function matmulFlops(g: Graph): number {
  let total = 0;
  for (const n of g.nodes) {
    if (n.opType !== 'MatMul' && n.opType !== 'Gemm') continue;
    const a = n.inputs[0]!.shape as number[];
    const transA = n.attrs['transA']?.value === 1;
    const k = transA ? a[a.length - 2]! : a[a.length - 1]!;
    total += 2 * k * staticSize(n.outputs[0]!.shape)!;
  }
  return total;
}

function rand(n: number, scale: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (Math.random() * 2 - 1) * scale;
  return a;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const { g, params } = buildStep();
  const buildMs = performance.now() - t0;
  const t1 = performance.now();
  const bytes = serializeModel(g).model;
  const serializeMs = performance.now() - t1;
  const t2 = performance.now();
  const sess = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
  const sessionMs = performance.now() - t2;

  const feeds: Record<string, ort.Tensor> = {};
  for (const p of params) {
    const shape = p.shape as number[];
    const n = staticSize(shape)!;
    feeds[p.name] = new ort.Tensor('float32', p.name.includes('.g') ? new Float32Array(n).fill(1) : rand(n, 0.02), shape);
    feeds[`${p.name}.m`] = new ort.Tensor('float32', new Float32Array(n), shape);
    feeds[`${p.name}.v`] = new ort.Tensor('float32', new Float32Array(n), shape);
  }
  const tokens = () => BigInt64Array.from({ length: B * T }, () => BigInt(Math.floor(Math.random() * V)));
  feeds['ids'] = new ort.Tensor('int64', tokens(), [B, T]);
  feeds['labels'] = new ort.Tensor('int64', tokens(), [B, T]);
  feeds['lr'] = new ort.Tensor('float32', Float32Array.from([1e-3]), []);
  feeds['step'] = new ort.Tensor('float32', Float32Array.from([1]), []);
  let loss = NaN;
  const step = await measure('train step', async () => {
    const out = await sess.run(feeds);
    loss = Number(out['loss']!.data[0]);
  }, { warmup: 1, minRuns: 3, minMs: 0 });

  // The ceiling: one square MatMul of similar total work through the same runtime.
  const N = 2048;
  const mg = new Graph('ceiling');
  const a = mg.input('a', 'float32', [N, N]);
  const b = mg.input('b', 'float32', [N, N]);
  mg.output(matmul(a, b), 'c');
  const msess = await ort.InferenceSession.create(serializeModel(mg).model, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
  const mfeeds = { a: new ort.Tensor('float32', rand(N * N, 1), [N, N]), b: new ort.Tensor('float32', rand(N * N, 1), [N, N]) };
  const ceil = await measure('matmul', () => msess.run(mfeeds), { warmup: 2, minRuns: 5, minMs: 0 });

  const flops = matmulFlops(g);
  const achieved = flops / (step.medianMs / 1e3);
  const ceiling = (2 * N * N * N) / (ceil.medianMs / 1e3);
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  const params_ = params.reduce((s, p) => s + staticSize(p.shape)!, 0);
  console.log(`decoder-only d=${D} heads=${H} layers=${L} seq=${T} batch=${B} vocab=${V}: ${(params_ / 1e6).toFixed(1)}M params, ${g.nodes.length} nodes, loss ${loss.toFixed(4)}`);
  printTable(
    ['measure', 'value'],
    [
      ['graph build (forward+grad+AdamW), ms', buildMs],
      ['serialization, ms', serializeMs],
      ['ORT session creation, ms', sessionMs],
      ['fused train step (median), ms', step.medianMs],
      ['MatMul FLOP per step, GFLOP', flops / 1e9],
      ['achieved, GFLOP/s', achieved / 1e9],
      [`MatMul ceiling ${N}³, GFLOP/s`, ceiling / 1e9],
      ['achieved / ceiling', `${((100 * achieved) / ceiling).toFixed(1)}%`],
      ['peak RSS, MiB', peakMiB],
    ],
  );
}

void main();

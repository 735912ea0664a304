import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Graph, TensorData, Value } from './graph';
import { DType } from './dtype';
import { add, cast, div, mul, neg, where } from './ops/elementwise';
import { matmul } from './ops/matmul';
import { reduceSum } from './ops/reduce';
import { reshape, transpose, constantOfShape } from './ops/shape-ops';
import { softmax } from './ops/softmax';
import { layerNorm } from './ops/norm';
import { gelu } from './ops/activation';
import { gather } from './ops/gather';
import { trilu } from './ops/trilu';
import { labelLogProbs } from './ops/label-log-probs';
import { trainingStep } from './optim';
import { grad } from './autodiff';
import { writeSafetensors } from './safetensors';
import { randn, rng, session, tensor } from '../test/gradcheck';
import { describeWithTorch, runPythonJson } from '../../../tools/jest/python-oracle';

const B = 2, T = 5, D = 8, H = 2, F = 16, V = 11;
const DH = D / H;

const SHAPES: Record<string, number[]> = {
  embed: [V, D], ln1_g: [D], ln1_b: [D], wq: [D, D], wk: [D, D], wv: [D, D], wo: [D, D],
  ln2_g: [D], ln2_b: [D], w1: [D, F], b1: [F], w2: [F, D], b2: [D], head: [D, V],
};
const NAMES = Object.keys(SHAPES);

/** Pre-norm block (causal attention + MLP) on embedded ids, then the masked mean label log-prob loss. */
function buildLoss(g: Graph, dtype: DType, approx: 'exact' | 'tanh'): { loss: Value; params: Value[] } {
  const p = Object.fromEntries(NAMES.map((n) => [n, g.input(n, dtype, SHAPES[n]!)]));
  const ids = g.input('ids', 'int64', ['batch', 'seq']);
  const labels = g.input('labels', 'int64', ['batch', 'seq']);
  const mask = g.input('mask', dtype, ['batch', 'seq']);
  const x = gather(p['embed']!, ids); // [B, T, D]
  const heads = (v: Value) => transpose(reshape(v, [0, 0, H, DH]), [0, 2, 1, 3]); // [B, H, T, DH]
  const h1 = layerNorm(x, p['ln1_g']!, p['ln1_b']!, { epsilon: 1e-5 });
  const [q, k, v] = ['wq', 'wk', 'wv'].map((w) => heads(matmul(h1, p[w]!)));
  const scores = mul(matmul(q!, transpose(k!, [0, 1, 3, 2])), 1 / Math.sqrt(DH)); // [B, H, T, T]
  const causal = cast(trilu(constantOfShape(g, [T, T], 1, dtype), false), 'bool');
  const att = matmul(softmax(where(causal, scores, -1e9), -1), v!);
  const x2 = add(x, matmul(reshape(transpose(att, [0, 2, 1, 3]), [0, 0, D]), p['wo']!));
  const h2 = layerNorm(x2, p['ln2_g']!, p['ln2_b']!, { epsilon: 1e-5 });
  const mlp = add(matmul(gelu(add(matmul(h2, p['w1']!), p['b1']!), approx), p['w2']!), p['b2']!);
  const logits = matmul(add(x2, mlp), p['head']!); // [B, T, V]
  const lp = labelLogProbs(logits, labels);
  const loss = neg(div(reduceSum(mul(lp, mask), undefined, false), reduceSum(mask, undefined, false)));
  return { loss, params: NAMES.map((n) => p[n]!) };
}

function weights(dtype: DType): Map<string, TensorData> {
  const r = rng(2024);
  const m = new Map<string, TensorData>();
  for (const n of NAMES) {
    const s = SHAPES[n]!;
    const base = randn(r, s, -0.4, 0.4);
    if (n.endsWith('_g')) base.forEach((v, i) => (base[i] = 1 + v / 4));
    m.set(n, { dtype, shape: s, data: dtype === 'float32' ? Float32Array.from(base) : base });
  }
  const ids = BigInt64Array.from({ length: B * T }, () => BigInt(Math.floor(r(0, V))));
  const labels = BigInt64Array.from({ length: B * T }, () => BigInt(Math.floor(r(0, V))));
  const mask = Array.from({ length: B * T }, (_, i) => (i % T === 0 || i === B * T - 1 ? 0 : 1));
  m.set('ids', { dtype: 'int64', shape: [B, T], data: ids });
  m.set('labels', { dtype: 'int64', shape: [B, T], data: labels });
  m.set('mask', { dtype, shape: [B, T], data: dtype === 'float32' ? Float32Array.from(mask) : Float64Array.from(mask) });
  return m;
}

const ORACLE = String.raw`
import json, struct, sys, numpy as np, torch
import torch.nn.functional as Fn
path, approx, steps, lr, wd = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
raw = open(path, 'rb').read(); n = struct.unpack('<Q', raw[:8])[0]; hdr = json.loads(raw[8:8 + n]); body = raw[8 + n:]
DT = {'F64': np.float64, 'F32': np.float32, 'I64': np.int64}
t = {k: torch.from_numpy(np.frombuffer(body[v['data_offsets'][0]:v['data_offsets'][1]], dtype=DT[v['dtype']]).reshape(v['shape']).copy()) for k, v in hdr.items() if k != '__metadata__'}
names = json.loads(hdr['__metadata__']['names'])
H = int(hdr['__metadata__']['heads'])
p = {k: t[k].clone().requires_grad_(True) for k in names}
def loss_fn():
    x = p['embed'][t['ids']]
    Bn, Tn, Dn = x.shape
    def heads(v): return v.reshape(Bn, Tn, H, Dn // H).transpose(1, 2)
    h1 = Fn.layer_norm(x, (Dn,), p['ln1_g'], p['ln1_b'], 1e-5)
    q, k, v = heads(h1 @ p['wq']), heads(h1 @ p['wk']), heads(h1 @ p['wv'])
    s = (q @ k.transpose(-1, -2)) * (1 / (Dn // H) ** 0.5)
    causal = torch.tril(torch.ones(Tn, Tn, dtype=torch.bool))
    att = torch.softmax(s.masked_fill(~causal, -1e9), -1) @ v
    x2 = x + att.transpose(1, 2).reshape(Bn, Tn, Dn) @ p['wo']
    h2 = Fn.layer_norm(x2, (Dn,), p['ln2_g'], p['ln2_b'], 1e-5)
    mlp = Fn.gelu(h2 @ p['w1'] + p['b1'], approximate='none' if approx == 'exact' else approx) @ p['w2'] + p['b2']
    logits = (x2 + mlp) @ p['head']
    lp = torch.log_softmax(logits, -1).gather(-1, t['labels'].unsqueeze(-1)).squeeze(-1)
    return -(lp * t['mask']).sum() / t['mask'].sum()
out = {}
loss = loss_fn(); loss.backward()
out['loss'] = loss.item(); out['grads'] = {k: p[k].grad.flatten().tolist() for k in names}
if steps > 0:
    for k in names: p[k].grad = None
    opt = torch.optim.AdamW([p[k] for k in names], lr=lr, weight_decay=wd)
    for _ in range(steps):
        opt.zero_grad(); loss_fn().backward(); opt.step()
    out['params'] = {k: p[k].detach().flatten().tolist() for k in names}
print(json.dumps(out))
`;

interface Oracle {
  loss: number;
  grads: Record<string, number[]>;
  params?: Record<string, number[]>;
}

function relErr(a: ArrayLike<number>, b: number[]): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(Number(a[i]) - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / Math.max(den, 1e-30);
}

describeWithTorch()('PyTorch oracle: pre-norm transformer block + label log-prob loss', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'onnx-graph-torch-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function oracle(dtype: DType, approx: string, steps: number, lr = 0.01, wd = 0.1): Promise<{ w: Map<string, TensorData>; o: Oracle }> {
    const w = weights(dtype);
    const path = join(dir, `${dtype}-${approx}-${steps}.safetensors`);
    await writeSafetensors(path, w, { names: JSON.stringify(NAMES), heads: String(H) });
    return { w, o: runPythonJson<Oracle>({ code: ORACLE, args: [path, approx, String(steps), String(lr), String(wd)], timeoutMs: 300_000 }) };
  }

  const feeds = (w: Map<string, TensorData>) => Object.fromEntries([...w].map(([k, t]) => [k, tensor(t.dtype, t.data, t.shape)]));

  it.each([
    ['float64', 'tanh', 1e-6],
    ['float32', 'exact', 1e-4],
  ] as const)('%s (gelu %s): loss and every gradient within %s', async (dtype, approx, tol) => {
    const { w, o } = await oracle(dtype, approx, 0);
    const g = new Graph('block');
    const { loss, params } = buildLoss(g, dtype, approx);
    g.output(loss, 'loss');
    grad(g, loss, params).forEach((d, i) => g.output(d, `grad.${NAMES[i]}`));
    const out = await (await session(g)).run(feeds(w));
    expect(Math.abs(Number(out['loss']!.data[0]) - o.loss) / Math.abs(o.loss)).toBeLessThan(tol);
    const worst = Math.max(...NAMES.map((n) => relErr(out[`grad.${n}`]!.data as Float64Array, o.grads[n]!)));
    expect(worst).toBeLessThan(tol);
    // The gradients must be non-trivial for the comparison to mean anything.
    expect(Math.max(...o.grads['embed']!.map(Math.abs))).toBeGreaterThan(1e-3);
  });

  it('AdamW over 5 fused training steps equals torch.optim.AdamW (float64)', async () => {
    const { w, o } = await oracle('float64', 'tanh', 5, 0.01, 0.1);
    const g = new Graph('train');
    const { loss, params } = buildLoss(g, 'float64', 'tanh');
    g.output(loss, 'loss');
    trainingStep(g, loss, params, { weightDecay: 0.1 });
    const s = await session(g);
    const state = feeds(w);
    for (const n of NAMES) {
      const t = w.get(n)!;
      state[`${n}.m`] = tensor('float64', new Float64Array(t.data.length), t.shape);
      state[`${n}.v`] = tensor('float64', new Float64Array(t.data.length), t.shape);
    }
    for (let step = 1; step <= 5; step++) {
      const out = await s.run({ ...state, lr: tensor('float64', Float64Array.from([0.01]), []), step: tensor('float64', Float64Array.from([step]), []) });
      for (const n of NAMES) {
        state[n] = out[`${n}.new`]!;
        state[`${n}.m`] = out[`${n}.m.new`]!;
        state[`${n}.v`] = out[`${n}.v.new`]!;
      }
    }
    for (const n of NAMES) expect(relErr(state[n]!.data as Float64Array, o.params![n]!)).toBeLessThan(1e-6);
  });
});

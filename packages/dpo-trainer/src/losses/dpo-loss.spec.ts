import { Graph, grad, serializeModel } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { itWithTorch, runOracle } from '../../test/python-oracle';
import type { DpoLossType } from '../engine/types';
import { LossConfigError } from '../errors';
import { dpoLogits } from './dpo-logits';
import { dpoLoss } from './dpo-loss';
import { withRpoTerm } from './rpo-term';
import { tokenMeanNll } from './token-mean-nll';

interface Case {
  loss_type: DpoLossType;
  beta: number;
  label_smoothing: number;
  rpo_alpha?: number;
  pc: number[];
  pr: number[];
  rc: number[];
  rr: number[];
  chosen_tokens: number[];
}

const LP = { pc: [-12.5, -30.25, -7.125, -20], pr: [-14, -29, -9.5, -18.75], rc: [-13, -30, -8, -19.5], rr: [-13.5, -29.5, -9, -19], chosen_tokens: [5, 9, 3, 7] };
const CASES: Case[] = [
  { loss_type: 'sigmoid', beta: 0.1, label_smoothing: 0, ...LP },
  { loss_type: 'sigmoid', beta: 0.5, label_smoothing: 0.2, ...LP },
  { loss_type: 'robust', beta: 0.3, label_smoothing: 0.1, ...LP },
  { loss_type: 'hinge', beta: 0.7, label_smoothing: 0, ...LP },
  { loss_type: 'ipo', beta: 0.2, label_smoothing: 0, ...LP },
  { loss_type: 'sigmoid', beta: 0.1, label_smoothing: 0, rpo_alpha: 1, ...LP },
  { loss_type: 'ipo', beta: 0.5, label_smoothing: 0, rpo_alpha: 0.25, ...LP },
  // Policy = reference: Δ = 0 exactly, where the loss is ln 2 and its slope −β/2 per pair.
  { loss_type: 'sigmoid', beta: 0.1, label_smoothing: 0, ...LP, pc: LP.rc, pr: LP.rr },
];

/** Runs our graph for a case: the loss and its gradients w.r.t. the four log-prob vectors. */
async function ours(c: Case): Promise<{ loss: number; grads: number[][] }> {
  const g = new Graph('dpo_loss');
  const n = c.pc.length;
  const [pc, pr, rc, rr] = ['pc', 'pr', 'rc', 'rr'].map((k) => g.input(k, 'float64', [n])) as [never, never, never, never];
  const counts = g.input('chosen_tokens', 'float64', [n]);
  let loss = dpoLoss(dpoLogits({ policyChosen: pc, policyRejected: pr, refChosen: rc, refRejected: rr }), {
    lossType: c.loss_type,
    beta: c.beta,
    labelSmoothing: c.label_smoothing,
  });
  if (c.rpo_alpha !== undefined) loss = withRpoTerm(loss, tokenMeanNll(pc, counts), c.rpo_alpha);
  g.output(loss, 'loss');
  grad(g, loss, [pc, pr, rc, rr]).forEach((d, i) => g.output(d, `d${i}`));
  const s = await ort.InferenceSession.create(serializeModel(g).model);
  const t = (x: number[]) => new ort.Tensor('float64', Float64Array.from(x), [n]);
  const out = await s.run({ pc: t(c.pc), pr: t(c.pr), rc: t(c.rc), rr: t(c.rr), chosen_tokens: t(c.chosen_tokens) });
  await s.release();
  return { loss: (out['loss']!.data as Float64Array)[0]!, grads: [0, 1, 2, 3].map((i) => Array.from(out[`d${i}`]!.data as Float64Array)) };
}

describe('DPO losses', () => {
  it('policy = reference: sigmoid loss is ln 2 and each chosen log-prob gets −β/(2N)', async () => {
    const r = await ours(CASES[CASES.length - 1]!);
    expect(r.loss).toBeCloseTo(Math.LN2, 15);
    r.grads[0]!.forEach((d) => expect(d).toBeCloseTo(-0.1 / 2 / 4, 15));
    r.grads[1]!.forEach((d) => expect(d).toBeCloseTo(0.1 / 2 / 4, 15));
  });

  it('robust rejects ε ≥ 0.5 with a typed error', async () => {
    await expect(ours({ ...CASES[2]!, label_smoothing: 0.5 })).rejects.toBeInstanceOf(LossConfigError);
  });

  itWithTorch()('each loss and its gradients equal TRL dpo_loss in torch float64 within 1e-6', async () => {
    const oracle = runOracle<{ loss: number; grads: number[][] }[]>('dpo_losses.py', [JSON.stringify(CASES)]);
    for (const [i, c] of CASES.entries()) {
      const r = await ours(c);
      const want = oracle[i]!;
      expect(Math.abs(r.loss - want.loss)).toBeLessThan(1e-6);
      r.grads.forEach((g, k) => g.forEach((d, j) => expect(Math.abs(d - want.grads[k]![j]!)).toBeLessThan(1e-6)));
      // Not a trivial agreement: the policy gradient is non-zero in every case.
      expect(Math.max(...want.grads[0]!.map(Math.abs))).toBeGreaterThan(1e-3);
    }
  });
});

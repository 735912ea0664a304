import { itWithTorch, runOracle } from '../../test/python-oracle';
import { learningRateAt, lrMultiplier, resolveWarmupSteps, type LrSchedulerType } from './lr-schedule';

const CASES: { type: LrSchedulerType; total: number; warmup_steps: number; warmup_ratio: number; lr: number }[] = [
  { type: 'cosine', total: 37, warmup_steps: 0, warmup_ratio: 0.1, lr: 5e-7 },
  { type: 'cosine', total: 10, warmup_steps: 3, warmup_ratio: 0.5, lr: 1e-3 },
  { type: 'linear', total: 25, warmup_steps: 0, warmup_ratio: 0.07, lr: 2e-5 },
  { type: 'constant_with_warmup', total: 12, warmup_steps: 4, warmup_ratio: 0, lr: 1e-4 },
  { type: 'constant', total: 5, warmup_steps: 2, warmup_ratio: 0, lr: 3e-4 },
  { type: 'cosine', total: 8, warmup_steps: 0, warmup_ratio: 0, lr: 1e-4 },
];

describe('learning-rate schedules', () => {
  it('warmup = warmup_steps when > 0, else ceil(ratio · total)', () => {
    expect(resolveWarmupSteps(37, { warmupRatio: 0.1 })).toBe(4); // 3.7 → 4
    expect(resolveWarmupSteps(100, { warmupRatio: 0.1 })).toBe(10);
    expect(resolveWarmupSteps(100, { warmupSteps: 7, warmupRatio: 0.5 })).toBe(7);
    expect(resolveWarmupSteps(100, {})).toBe(0);
  });

  it('cosine with warmup: known values', () => {
    // W = 2, T = 6: λ = 0, ½, then ½(1 + cos(π·k/4)) for k = 0..3.
    const lam = [0, 1, 2, 3, 4, 5, 6].map((s) => lrMultiplier('cosine', s, 2, 6));
    const expected = [0, 0.5, 1, (1 + Math.SQRT1_2) / 2, 0.5, (1 - Math.SQRT1_2) / 2, 0];
    lam.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 15));
    expect(lrMultiplier('linear', 4, 2, 6)).toBe(0.5);
    expect(learningRateAt({ type: 'constant', learningRate: 0.1, totalSteps: 3, warmupSteps: 2 }, 0)).toBe(0.1);
  });

  itWithTorch()('equals transformers schedules driven through torch LambdaLR at every step', () => {
    const oracle = runOracle<{ warmup: number; lrs: number[] }[]>('lr_schedules.py', [JSON.stringify(CASES)]);
    CASES.forEach((c, i) => {
      const warmupSteps = resolveWarmupSteps(c.total, { warmupSteps: c.warmup_steps, warmupRatio: c.warmup_ratio });
      expect(warmupSteps).toBe(oracle[i]!.warmup);
      const ours = Array.from({ length: c.total }, (_, s) => learningRateAt({ type: c.type, learningRate: c.lr, totalSteps: c.total, warmupSteps }, s));
      ours.forEach((lr, s) => expect(Math.abs(lr - oracle[i]!.lrs[s]!)).toBeLessThanOrEqual(1e-15 * c.lr * 10));
    });
  });
});

import { TrainerConfigError } from '../errors';
import { parseDpoConfig } from '../config/parse-config';
import { epochAt, planRun, stepMicroBatches } from './run-plan';

describe('planRun (transformers Trainer arithmetic)', () => {
  it('splits 10 examples into micro-batches of 3 and steps of 2 micro-batches', () => {
    const plan = planRun(parseDpoConfig({ per_device_train_batch_size: 3, gradient_accumulation_steps: 2, num_train_epochs: 3, warmup_ratio: 0.1 }), 10);
    expect([plan.microBatchesPerEpoch, plan.stepsPerEpoch, plan.totalSteps, plan.schedule.warmupSteps]).toEqual([4, 2, 6, 1]);
    const order = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
    expect(stepMicroBatches(plan, 0, order)).toEqual([
      [9, 8, 7],
      [6, 5, 4],
    ]);
    expect(stepMicroBatches(plan, 3, order)).toEqual([[3, 2, 1], [0]]); // second epoch's last step takes the remainder
    expect([epochAt(plan, 1), epochAt(plan, 2), epochAt(plan, 5)]).toEqual([0.5, 1, 2.5]);
  });

  it('max_steps overrides epochs; warmup_steps overrides warmup_ratio', () => {
    const plan = planRun(parseDpoConfig({ per_device_train_batch_size: 2, max_steps: 7, warmup_steps: 2, warmup_ratio: 0.5 }), 4);
    expect([plan.stepsPerEpoch, plan.totalSteps, plan.schedule.warmupSteps]).toEqual([2, 7, 2]);
    expect(planRun(parseDpoConfig({ per_device_train_batch_size: 1, num_train_epochs: 1.5 }), 4).totalSteps).toBe(6);
  });

  it('refuses an empty data set', () => {
    expect(() => planRun(parseDpoConfig({}), 0)).toThrow(TrainerConfigError);
  });
});

import type { SftConfig } from '../config/sft-config';
import type { DpoConfig } from '../config/dpo-config';
import { TrainerConfigError } from '../errors';
import { resolveWarmupSteps, type LrSchedule } from '../schedule/lr-schedule';

/** How a run splits into micro-batches and optimizer steps (transformers Trainer's arithmetic). */
export interface RunPlan {
  examples: number;
  batchSize: number;
  accumulation: number;
  /** ceil(examples / batch size): the last micro-batch of an epoch may be smaller. */
  microBatchesPerEpoch: number;
  /** ceil(micro-batches / accumulation): the last step of an epoch accumulates what is left. */
  stepsPerEpoch: number;
  /** max_steps when > 0, else ceil(num_train_epochs · steps per epoch). */
  totalSteps: number;
  schedule: LrSchedule;
}

/** The plan of a run over `examples` examples. */
export function planRun(config: SftConfig | DpoConfig, examples: number): RunPlan {
  if (examples < 1) throw new TrainerConfigError('run', [{ path: 'examples', message: 'there are no training examples' }]);
  const batchSize = config.per_device_train_batch_size;
  const accumulation = config.gradient_accumulation_steps;
  const microBatchesPerEpoch = Math.ceil(examples / batchSize);
  const stepsPerEpoch = Math.ceil(microBatchesPerEpoch / accumulation);
  const totalSteps = config.max_steps > 0 ? config.max_steps : Math.ceil(config.num_train_epochs * stepsPerEpoch);
  const warmupSteps = resolveWarmupSteps(totalSteps, { warmupSteps: config.warmup_steps, warmupRatio: config.warmup_ratio });
  return {
    examples,
    batchSize,
    accumulation,
    microBatchesPerEpoch,
    stepsPerEpoch,
    totalSteps,
    schedule: { type: config.lr_scheduler_type, learningRate: config.learning_rate, totalSteps, warmupSteps },
  };
}

/** The example indices of each micro-batch of optimizer step `step` (0-based), given that epoch's order. */
export function stepMicroBatches(plan: RunPlan, step: number, order: readonly number[]): number[][] {
  const within = step % plan.stepsPerEpoch;
  const first = within * plan.accumulation;
  const last = Math.min(plan.microBatchesPerEpoch, first + plan.accumulation);
  const out: number[][] = [];
  for (let m = first; m < last; m++) out.push(order.slice(m * plan.batchSize, (m + 1) * plan.batchSize) as number[]);
  return out;
}

/** Fractional epoch after `step` completed steps (micro-batches consumed / per epoch, as the Trainer logs it). */
export function epochAt(plan: RunPlan, step: number): number {
  const full = Math.floor(step / plan.stepsPerEpoch);
  const within = step % plan.stepsPerEpoch;
  return full + Math.min(plan.microBatchesPerEpoch, within * plan.accumulation) / plan.microBatchesPerEpoch;
}

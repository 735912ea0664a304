/** transformers' `lr_scheduler_type` values this trainer implements. */
export type LrSchedulerType = 'constant' | 'constant_with_warmup' | 'linear' | 'cosine';

/** A learning-rate schedule over a whole run. */
export interface LrSchedule {
  type: LrSchedulerType;
  /** Peak learning rate (TrainingArguments `learning_rate`). */
  learningRate: number;
  /** Optimizer steps of the run (`max_steps`, or epochs × steps per epoch). */
  totalSteps: number;
  /** Warmup optimizer steps; resolve from `warmup_steps` / `warmup_ratio` with `resolveWarmupSteps`. */
  warmupSteps: number;
}

/** transformers' `TrainingArguments.get_warmup_steps`: `warmup_steps` when > 0, else ceil(warmup_ratio · total). */
export function resolveWarmupSteps(totalSteps: number, options: { warmupSteps?: number; warmupRatio?: number }): number {
  const steps = options.warmupSteps ?? 0;
  return steps > 0 ? steps : Math.ceil(totalSteps * (options.warmupRatio ?? 0));
}

/**
 * The multiplier λ(step) of transformers' `get_{constant,constant_with_warmup,linear,cosine}_schedule_with_warmup`
 * (cosine with num_cycles = 0.5): linear warmup step / max(1, W), then constant, linear decay
 * (T − step) / max(1, T − W), or ½(1 + cos(π · progress)), all clamped at 0.
 */
export function lrMultiplier(type: LrSchedulerType, step: number, warmupSteps: number, totalSteps: number): number {
  if (type === 'constant') return 1;
  if (step < warmupSteps) return step / Math.max(1, warmupSteps);
  if (type === 'constant_with_warmup') return 1;
  if (type === 'linear') return Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
  const progress = (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
  return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * 2 * 0.5 * progress)));
}

/**
 * The learning rate of the optimizer update that follows `step` completed updates (LambdaLR's lr after
 * `step` scheduler.step() calls; with warmup the first update runs at lr 0, as in transformers).
 */
export function learningRateAt(schedule: LrSchedule, step: number): number {
  return schedule.learningRate * lrMultiplier(schedule.type, step, schedule.warmupSteps, schedule.totalSteps);
}

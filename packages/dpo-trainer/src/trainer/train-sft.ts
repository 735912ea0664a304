import { mkdir } from 'node:fs/promises';
import { collateSft } from '../collate/collate-batch';
import { encodeSftExample } from '../collate/encode-examples';
import type { SftExample } from '../collate/examples';
import type { SftConfig } from '../config/sft-config';
import { createEngine } from '../engine/onnx-engine';
import { engineOptionsFor, loadStartModel } from './model-source';
import { finishRun, limitsOf, stopRequested, type TrainResult, type TrainRunOptions } from './run-options';
import { planRun } from './run-plan';
import { runFingerprint } from './run-fingerprint';
import { runTrainingLoop } from './training-loop';

/** Options of trainSft. */
export interface SftTrainOptions extends TrainRunOptions {
  config: SftConfig;
  examples: readonly SftExample[];
}

/**
 * Completion-only SFT (TRL SFTTrainer with a completion mask): the loss is the token mean of −log π over
 * every completion token of the optimizer step, so accumulated micro-batches weigh by their token counts.
 */
export async function trainSft(o: SftTrainOptions): Promise<TrainResult> {
  const { config, examples } = o;
  await mkdir(o.outputDir, { recursive: true });
  const model = await loadStartModel(o.modelDir);
  const images = examples.some((e) => e.image) ? 'pixels' : 'none';
  const plan = planRun(config, examples.length);
  const engine = await (o.createEngine ?? createEngine)(engineOptionsFor(config, model, { kind: 'sft' }, images, o.engine));
  const limits = limitsOf(config, model.family.imageTokenId(model.config));
  try {
    const result = await runTrainingLoop({
      engine,
      plan,
      seed: config.seed,
      loggingSteps: config.logging_steps,
      saveSteps: config.save_steps,
      outputDir: o.outputDir,
      fingerprint: runFingerprint({ kind: 'sft', config }, model.weights, examples),
      shouldStop: () => stopRequested(o),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      task: {
        kind: 'sft',
        async microBatch(indices) {
          const rows = await Promise.all(indices.map((i) => encodeSftExample(o.encoder, examples[i]!, limits)));
          const basis = rows.reduce((n, r) => n + r.row.ids.length - r.row.promptLength, 0);
          return { batch: collateSft(rows, model.padTokenId), basis };
        },
      },
    });
    return await finishRun(o, result, plan, { config, model, engine });
  } finally {
    await engine.close();
  }
}

import { mkdir } from 'node:fs/promises';
import { collateSft } from '../collate/collate-batch';
import { encodeSftExample } from '../collate/encode-examples';
import type { SftExample } from '../collate/examples';
import type { SftConfig } from '../config/sft-config';
import { createEngine } from '../engine/onnx-engine';
import { writeTrainedModel } from '../outputs/write-trained-model';
import { engineOptionsFor, loadStartModel, loraOf } from './model-source';
import { planRun } from './run-plan';
import { runFingerprint } from './run-fingerprint';
import { runTrainingLoop } from './training-loop';
import { finish, limitsOf, type TrainResult, type TrainRunOptions } from './train-dpo';

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
  const engine = await (o.createEngine ?? createEngine)(engineOptionsFor(config, model, { kind: 'sft' }, images, o.engine));
  const plan = planRun(config, examples.length);
  const limits = limitsOf(config, model.config.image_token_index);
  try {
    const result = await runTrainingLoop({
      engine,
      plan,
      seed: config.seed,
      loggingSteps: config.logging_steps,
      saveSteps: config.save_steps,
      outputDir: o.outputDir,
      fingerprint: runFingerprint({ kind: 'sft', config }, model.weights, examples),
      shouldStop: () => (o.signal?.aborted ?? false) || (o.shouldStop?.() ?? false),
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
    return await finish(o, result, plan, () => {
      const lora = loraOf(config);
      return writeTrainedModel({
        outputDir: o.outputDir,
        config: model.config,
        base: model.weights,
        trained: engine.trainableTensors(),
        files: model.files,
        ...(lora ? { lora } : {}),
        ...(o.mergeLora !== undefined ? { mergeLora: o.mergeLora } : {}),
        ...(o.inferenceFolder !== undefined ? { inferenceFolder: o.inferenceFolder } : {}),
        baseModel: o.modelDir,
      });
    });
  } finally {
    await engine.close();
  }
}

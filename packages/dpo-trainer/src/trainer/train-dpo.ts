import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { collatePairs } from '../collate/collate-batch';
import { encodePair } from '../collate/encode-examples';
import type { PreferenceExample, ReferenceLogProbs } from '../collate/examples';
import type { DpoConfig } from '../config/dpo-config';
import { createEngine } from '../engine/onnx-engine';
import { engineOptionsFor, loadStartModel } from './model-source';
import { computeReferenceLogProbs, jsonFileReferenceStore, type ReferenceLogProbStore } from './reference-log-probs';
import { finishRun, limitsOf, stopRequested, type TrainResult, type TrainRunOptions } from './run-options';
import { planRun } from './run-plan';
import { runFingerprint } from './run-fingerprint';
import { runTrainingLoop } from './training-loop';

/** Options of trainDpo. */
export interface DpoTrainOptions extends TrainRunOptions {
  config: DpoConfig;
  examples: readonly PreferenceExample[];
  /** Where reference log-probs persist (the CLI: the preference store); default `<outputDir>/reference-logps.json`. */
  references?: ReferenceLogProbStore;
}

/**
 * DPO (TRL DPOTrainer semantics) from an HF checkpoint: reference log-probs of the frozen start model once
 * (stored through `references`), then the resumable step loop, then the output folders.
 */
export async function trainDpo(o: DpoTrainOptions): Promise<TrainResult> {
  const { config, examples } = o;
  await mkdir(o.outputDir, { recursive: true });
  const model = await loadStartModel(o.modelDir);
  const images = examples.some((e) => e.image) ? 'pixels' : 'none';
  const objective = { kind: 'dpo' as const, lossType: config.loss_type, beta: config.beta, labelSmoothing: config.label_smoothing, ...(config.rpo_alpha !== null ? { rpoAlpha: config.rpo_alpha } : {}) };
  const plan = planRun(config, examples.length);
  const engine = await (o.createEngine ?? createEngine)(engineOptionsFor(config, model, objective, images, o.engine));
  const limits = limitsOf(config, model.family.imageTokenId(model.config));
  const pad = model.padTokenId;
  const encode = (i: number) => encodePair(o.encoder, examples[i]!, limits, config.loss_span);
  try {
    const refs = new Map<string, ReferenceLogProbs>();
    if (config.precompute_ref_log_probs) {
      // The file store's values hold for these start weights and this row encoding only.
      const store = o.references ?? jsonFileReferenceStore(join(o.outputDir, 'reference-logps.json'), runFingerprint({ kind: 'dpo-reference', span: config.loss_span, limits }, model.weights, []));
      const missing: number[] = [];
      for (let i = 0; i < examples.length; i++) {
        const e = examples[i]!;
        const known = e.reference ?? (await store.get(e.id));
        if (known) refs.set(e.id, known);
        else missing.push(i);
      }
      for (let k = 0; k < missing.length; k += plan.batchSize) {
        const pairs = await Promise.all(missing.slice(k, k + plan.batchSize).map(encode));
        const computed = await computeReferenceLogProbs(engine, pairs, plan.batchSize, pad);
        await store.setMany(computed);
        for (const [id, r] of computed) refs.set(id, r);
        o.onProgress?.({ phase: 'reference', step: 0, totalSteps: plan.totalSteps, epoch: 0, done: k + pairs.length, of: missing.length });
      }
    }
    const result = await runTrainingLoop({
      engine,
      plan,
      seed: config.seed,
      loggingSteps: config.logging_steps,
      saveSteps: config.save_steps,
      outputDir: o.outputDir,
      // Without `reference`: a re-run that reads the stored reference log-probs back onto the examples is the same run.
      fingerprint: runFingerprint({ kind: 'dpo', config }, model.weights, examples.map(({ reference: _reference, ...e }) => e)),
      shouldStop: () => stopRequested(o),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      task: {
        kind: 'dpo',
        basisOf: (indices) => indices.length,
        async microBatch(indices) {
          const pairs = await Promise.all(indices.map(encode));
          const batch = collatePairs(pairs, config.precompute_ref_log_probs ? pairs.map((p) => refs.get(p.id)!) : null, pad);
          if (!config.precompute_ref_log_probs) batch.refLogProbs = (await engine.sequenceLogProbs(batch, { reference: true })).logps;
          return { batch, basis: pairs.length };
        },
      },
    });
    return await finishRun(o, result, plan, { config, model, engine });
  } finally {
    await engine.close();
  }
}


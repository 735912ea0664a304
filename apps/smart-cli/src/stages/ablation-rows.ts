import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { concludesOption, finalStep, naiveCotPrompt } from '@smart/aot-prompts';
import { writeFileAtomicSync } from '@smart/core';
import { trainDpo, trainSft, parseSftConfig, type PreferenceExample, type SftExample } from '@smart/dpo-trainer';
import { createPromptEncoder } from '@smart/mllm';
import type { PreferenceStore } from '@smart/preference-store';
import type { Generator, OptionLetter, Sample } from '@smart/types';
import { z } from 'zod';
import type { BackendSettings } from '../backends/make-generator';
import { trainablePartsOf, type RunConfig, trainerRuntimeOf } from '../config/run-config';
import { InterruptedError } from '../errors/errors';
import type { RunPaths } from '../run-folder/run-paths';
import { runBenchmark } from './eval/run-benchmark';
import { dpoConfigOf } from './local-train';
import { modelForIteration } from './model-for-iteration';
import type { RunData } from './prepare-data';
import { seedFor } from './seed-for';
import type { StageIo } from './stage-context';
import { checkpointDtypeOption } from './checkpoint-dtype';
import { trainingPromptOf } from './training-prompt';

/** The paper's Table 2 rows (method.md §6), in its order; (8)–(10) are SMART's iterations 1–3. */
export const ABLATION_ROWS = [
  { id: 'sft-answer', label: '(1) SFT on A' },
  { id: 'sft-naive', label: '(2) SFT on R_naive' },
  { id: 'sft-aot', label: '(3) SFT on R_AoT' },
  { id: 'dpo-answer', label: "(4) DPO on (A, A')" },
  { id: 'dpo-naive-naive', label: "(5) DPO on (R_naive, R'_naive)" },
  { id: 'dpo-naive-aot', label: "(6) DPO on (R_naive, R'_AoT)" },
  { id: 'dpo-aot-naive', label: "(7) DPO on (R_AoT, R'_naive)" },
  { id: 'iteration-1', label: "(8) DPO on (R_AoT, R'_AoT) = SMART iteration 1" },
  { id: 'iteration-2', label: '(9) SMART iteration 2' },
  { id: 'iteration-3', label: '(10) SMART iteration 3' },
] as const;

/** One ablation row id. */
export type AblationRowId = (typeof ABLATION_ROWS)[number]['id'];

/** Naive-CoT rationales drawn per sample (the paper labels each by whether its last step names the ground truth). */
export const NAIVE_PER_SAMPLE = 2;

const naiveSchema = z.object({ id: z.string(), sampleId: z.string(), text: z.string() });

interface Naive {
  correct?: string;
  wrong?: string;
}

/** Where a row's training output and evaluation go. */
export function rowDir(paths: RunPaths, row: AblationRowId): string {
  return join(paths.root, 'ablate', row);
}

/** The letter a rationale's final step concludes, if exactly one option. */
function concluded(text: string, sample: Sample): OptionLetter | null {
  const last = finalStep(text);
  const hits = sample.choices.filter((c) => concludesOption(last, sample.choices, c.letter));
  return hits.length === 1 ? hits[0]!.letter : null;
}

/**
 * Naive-CoT rationales of the base for iteration 1's samples (`naive.jsonl`, appended per batch, so a
 * re-run generates only what is missing), labelled correct / wrong by their conclusion.
 */
async function naiveRationales(o: AblationContext, samples: Sample[], imageOf: (s: Sample) => string): Promise<Map<string, Naive>> {
  const file = join(o.paths.root, 'ablate', 'naive.jsonl');
  mkdirSync(join(o.paths.root, 'ablate'), { recursive: true });
  const have = new Map<string, { sampleId: string; text: string }>();
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = naiveSchema.parse(JSON.parse(line));
        have.set(r.id, r);
      } catch {
        // A torn last line of a killed run: regenerated.
      }
    }
  }
  const todo = samples.flatMap((s) => Array.from({ length: NAIVE_PER_SAMPLE }, (_, j) => ({ s, id: `${s.id}:naive:${j}` }))).filter((t) => !have.has(t.id));
  if (todo.length > 0) {
    const generator = o.generatorFor(modelForIteration(o.config, o.paths, 0), 0);
    try {
      for (let i = 0; i < todo.length; i += o.config.generationBatch) {
        o.io.interrupt.check('ablate naive generation');
        const batch = todo.slice(i, i + o.config.generationBatch);
        const results = await generator.generate(
          batch.map((t) => ({
            id: t.id,
            prompt: naiveCotPrompt(t.s),
            image: { kind: 'path' as const, path: imageOf(t.s) },
            sampling: { temperature: o.config.temperature, topP: o.config.topP, maxNewTokens: o.config.maxNewTokens, seed: seedFor(o.config.seed, 'naive', t.id) },
          })),
        );
        const lines = results.filter((r) => r.finishReason !== 'error').map((r, k) => ({ id: r.id, sampleId: batch[k]!.s.id, text: r.text }));
        appendFileSync(file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
        for (const l of lines) have.set(l.id, l);
      }
    } finally {
      await generator.close();
    }
  }
  const bySample = new Map<string, Naive>();
  for (const s of samples) {
    const n: Naive = {};
    for (let j = 0; j < NAIVE_PER_SAMPLE; j++) {
      const r = have.get(`${s.id}:naive:${j}`);
      if (!r) continue;
      const letter = concluded(r.text, s);
      if (letter === s.answer) n.correct ??= r.text;
      else if (letter !== null) n.wrong ??= r.text;
    }
    bySample.set(s.id, n);
  }
  return bySample;
}

/** What the rows need from the seed's run. */
export interface AblationContext {
  config: RunConfig;
  paths: RunPaths;
  store: PreferenceStore;
  data: RunData;
  generatorFor: (settings: BackendSettings, k: number) => Generator;
  io: StageIo;
}

/** Training rows of one non-iteration ablation row, from iteration 1's samples (the same sample budget as SMART's iteration). */
export async function rowExamples(o: AblationContext, row: Exclude<AblationRowId, `iteration-${number}`>): Promise<{ sft?: SftExample[]; dpo?: PreferenceExample[] }> {
  const ids = o.store.samplesOfIteration(1);
  const samples = ids.map((id) => o.store.getSample(id)!.sample);
  const imageOf = (s: Sample) => o.store.images.pathOf(o.store.getImageRecord(s.image.sha256!)!.file);
  const pairs = new Map(o.store.listPairs({ iteration: 1 }).map((p) => [p.sampleId, p]));
  const kept = new Map(o.store.listPairs({ iteration: 1, kept: true }).map((p) => [p.sampleId, p]));
  const promptOf = trainingPromptOf(o.config.source);
  const base = (s: Sample) => ({ prompt: promptOf(s), image: { kind: 'path' as const, path: imageOf(s) } });
  const answerText = (l: OptionLetter) => `The answer is (${l}).`;
  if (row === 'sft-answer') return { sft: samples.map((s) => ({ id: s.id, ...base(s), completion: answerText(s.answer) })) };
  if (row === 'sft-aot') return { sft: samples.filter((s) => kept.has(s.id)).map((s) => ({ id: s.id, ...base(s), completion: kept.get(s.id)!.chosen })) };
  if (row === 'dpo-answer') {
    return { dpo: samples.filter((s) => pairs.has(s.id)).map((s) => ({ id: s.id, ...base(s), chosen: answerText(s.answer), rejected: answerText(pairs.get(s.id)!.wrongAnswer) })) };
  }
  const naive = await naiveRationales(o, samples, imageOf);
  const n = (s: Sample) => naive.get(s.id) ?? {};
  if (row === 'sft-naive') return { sft: samples.filter((s) => n(s).correct).map((s) => ({ id: s.id, ...base(s), completion: n(s).correct! })) };
  const dpo: PreferenceExample[] = [];
  for (const s of samples) {
    const p = pairs.get(s.id);
    const chosen = row === 'dpo-aot-naive' ? kept.get(s.id)?.chosen : n(s).correct;
    const rejected = row === 'dpo-naive-aot' ? p?.rejected : n(s).wrong;
    if (chosen && rejected) dpo.push({ id: s.id, ...base(s), chosen, rejected });
  }
  return { dpo };
}

const rowDoneSchema = z.object({ rows: z.number() });

/** Trains (SFT at the base recipe's settings, or DPO at SMART's) and evaluates one non-iteration row; returns its held-out accuracy. */
export async function runAblationRow(o: AblationContext, row: Exclude<AblationRowId, `iteration-${number}`>): Promise<{ accuracy: number | null; n: number; rows: number }> {
  const dir = rowDir(o.paths, row);
  const done = join(dir, 'train-done.json');
  let rows = existsSync(done) ? rowDoneSchema.parse(JSON.parse(readFileSync(done, 'utf8'))).rows : -1;
  if (rows < 0) {
    const ex = await rowExamples(o, row);
    rows = (ex.sft ?? ex.dpo ?? []).length;
    if (rows === 0) {
      // Nothing to train on is a result of the row (e.g. no naive rationale reached the right answer), not a failure.
      o.io.log(`ablate ${row}: iteration 1 produced none of the rationales this row trains on; no score`);
      return { accuracy: null, n: 0, rows: 0 };
    }
    const encoder = await createPromptEncoder(o.paths.model(0));
    const common = { encoder, modelDir: o.paths.checkpoint(0), outputDir: dir, signal: o.io.interrupt.signal, ...checkpointDtypeOption(o.config) };
    o.io.log(`ablate ${row}: ${ex.sft ? 'SFT' : 'DPO'} on ${rows} rows`);
    const result = ex.sft
      ? await trainSft({ ...common, examples: ex.sft, config: sftConfigOf(o.config, rows) })
      : await trainDpo({ ...common, examples: ex.dpo!, config: dpoConfigOf(o.config) });
    if (result.status === 'stopped') throw new InterruptedError(`ablate ${row}`);
    writeFileAtomicSync(done, `${JSON.stringify({ rows })}\n`);
  }
  const generator = o.generatorFor({ ...modelForIteration(o.config, o.paths, 0), model: join(dir, 'model') }, 1);
  try {
    const out = await runBenchmark({
      spec: { benchmark: 'synthetic', data: o.data.heldOutFile!, ...(o.data.imageRoot ? { imageRoot: o.data.imageRoot } : {}), ...(o.config.heldOutLimit ? { limit: o.config.heldOutLimit } : {}), maxNewTokens: o.config.evalMaxNewTokens },
      generator,
      outDir: join(dir, 'eval', 'held-out'),
      batchSize: o.config.generationBatch,
      io: o.io,
    });
    const r = out.run.result;
    return { accuracy: Number.isFinite(r.score) ? r.score : null, n: r.scored + r.failed, rows };
  } finally {
    await generator.close();
  }
}

// SFT rows are optimized as SMART's DPO iteration is (learning rate, schedule, batch, epochs), so rows differ only in their data and loss.
function sftConfigOf(config: RunConfig, rows: number) {
  return parseSftConfig({
    learning_rate: config.learningRate,
    lr_scheduler_type: config.lrScheduler,
    warmup_ratio: config.warmupRatio,
    per_device_train_batch_size: config.microBatchSize,
    gradient_accumulation_steps: Math.max(1, Math.round(config.batchSize / config.microBatchSize)),
    max_steps: Math.max(1, Math.ceil((rows * config.epochs) / config.batchSize)),
    max_length: Math.min(config.cutoffLen, 1024),
    seed: config.seed,
    logging_steps: 1,
    save_steps: 10,
    trainable_parts: trainablePartsOf(config.trainParts),
    ...trainerRuntimeOf(config),
  });
}

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReferenceLogProbs } from '../src/collate/examples';
import { parseDpoConfig, parseSftConfig } from '../src/config/parse-config';
import { TrainingWorkerError } from '../src/errors';
import type { ReferenceLogProbStore } from '../src/trainer/reference-log-probs';
import { trainDpo } from '../src/trainer/train-dpo';
import { trainSft } from '../src/trainer/train-sft';
import { trainInWorker } from '../src/worker/train-in-worker';
import { tinySetup, type TinySetup } from './tiny-pairs';

describe('trainInWorker', () => {
  jest.setTimeout(240_000);
  let dir: string;
  let setup: TinySetup;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dpo-worker-'));
    setup = await tinySetup(join(dir, 'base'), 4);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const config = parseDpoConfig({ learning_rate: 1e-3, per_device_train_batch_size: 2, max_steps: 8, logging_steps: 2, save_steps: 100, seed: 3 });

  it('trains off the main thread, stops at a safe point on abort, resumes to the in-process result', async () => {
    const stored = new Map<string, ReferenceLogProbs>();
    const references: ReferenceLogProbStore = { get: async (id) => stored.get(id), setMany: async (v) => void v.forEach((r, id) => stored.set(id, r)) };
    const out = join(dir, 'worker');
    const request = { kind: 'dpo' as const, config, examples: setup.pairs, modelDir: setup.model.checkpointDir, outputDir: out, hasReferenceStore: true, inferenceFolder: false };
    const ac = new AbortController();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const steps: number[] = [];
    const stopped = await trainInWorker(request, {
      encoder: setup.encoder,
      references,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.phase !== 'train') return;
        steps.push(p.step);
        if (p.step === 3) ac.abort();
      },
    });
    clearInterval(timer);
    // The flag is set when step 3's progress message arrives here; the worker stops after the step it is in then.
    expect(stopped.status).toBe('stopped');
    expect(stopped.step).toBeGreaterThanOrEqual(3);
    expect(stopped.step).toBeLessThan(8);
    expect(steps).toEqual(Array.from({ length: stopped.step }, (_, i) => i + 1));
    expect(ticks).toBeGreaterThan(0); // this thread's timers kept running while the worker trained
    expect([...stored.keys()].sort()).toEqual(['pair-0', 'pair-1', 'pair-2', 'pair-3']);

    const resumed = await trainInWorker(request, { encoder: setup.encoder, references });
    expect(resumed).toMatchObject({ status: 'completed', step: 8, resumed: true });

    const inline = join(dir, 'inline');
    await trainDpo({ config, examples: setup.pairs, encoder: setup.encoder, modelDir: setup.model.checkpointDir, outputDir: inline, inferenceFolder: false });
    const weights = (d: string) => readFileSync(join(d, 'checkpoint', 'model.safetensors'));
    expect(weights(out).equals(weights(inline))).toBe(true);
    expect(readFileSync(join(out, 'train-metrics.jsonl'), 'utf8')).toBe(readFileSync(join(inline, 'train-metrics.jsonl'), 'utf8'));
  });

  it('re-raises a typed error from the worker with its class name and fields', async () => {
    const bad = { ...setup.pairs[0]!, id: 'long-one', prompt: 'word '.repeat(400) };
    const request = { kind: 'dpo' as const, config: parseDpoConfig({ max_length: 200, max_prompt_length: 100 }), examples: [bad], modelDir: setup.model.checkpointDir, outputDir: join(dir, 'bad'), hasReferenceStore: false };
    const err = await trainInWorker(request, { encoder: setup.encoder }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingWorkerError);
    expect(err).toMatchObject({ errorName: 'ImageTokensTruncatedError', fields: { sampleId: 'long-one' } });
  });

  it('runs SFT too, with the in-process result', async () => {
    const sftConfig = parseSftConfig({ learning_rate: 3e-3, per_device_train_batch_size: 2, max_steps: 3, logging_steps: 1 });
    const common = { config: sftConfig, examples: setup.sft, modelDir: setup.model.checkpointDir, inferenceFolder: false };
    const inWorker = await trainInWorker({ kind: 'sft', ...common, outputDir: join(dir, 'sft-worker') }, { encoder: setup.encoder });
    expect(inWorker).toMatchObject({ status: 'completed', step: 3 });
    await trainSft({ ...common, encoder: setup.encoder, outputDir: join(dir, 'sft-inline') });
    const metrics = (d: string) => readFileSync(join(dir, d, 'train-metrics.jsonl'), 'utf8');
    expect(metrics('sft-worker')).toBe(metrics('sft-inline'));
  });
});

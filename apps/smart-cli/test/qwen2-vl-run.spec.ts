import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransformersJsGenerator } from '@smart/mllm';
import { createTinyQwen2VlModel, type TinyQwen2VlModel } from '@smart/models';
import { openStore } from '@smart/preference-store';
import { DEFAULT_SAMPLING } from '@smart/types';
import { runCli } from '../src/cli';
import { testDeps } from './buffer-out';
import { startScriptedServer } from './scripted-server';

jest.setTimeout(240_000);

describe('smart with a tiny Qwen2-VL folder', () => {
  let dir: string;
  let tiny: TinyQwen2VlModel;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smart-qwen2vl-run-'));
    tiny = await createTinyQwen2VlModel({ dir: join(dir, 'tiny'), seed: 6 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('smart run --model <folder> --checkpoint <folder>: base eval, one iteration generated locally (negatives as noised patches), filtered, scored; a re-run keeps the summary', async () => {
    const flags = [
      '--runs-dir', dir, '--name', 'qwen', '--model', tiny.modelDir, '--checkpoint', tiny.checkpointDir, '--threads', '1',
      '--synthetic-train', '12', '--synthetic-held-out', '3', '--synthetic-image-size', '32',
      '--samples-per-iteration', '2', '--max-iterations', '1', '--max-new-tokens', '12', '--eval-max-new-tokens', '6',
      '--batch-size', '2', '--micro-batch-size', '1', '--generation-batch', '4', '--cutoff-len', '512',
    ];
    const deps = testDeps();
    const code = await runCli(['run', ...flags], deps);
    expect(deps.stderr.text).not.toContain('smart: ');
    expect(code).toBe(0);
    const run = join(dir, 'qwen');
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'));
    expect(summary.base.heldOut).toMatchObject({ n: 3, failed: 0 });
    expect(summary.iterations).toHaveLength(1);
    const it1 = summary.iterations[0];
    expect(it1).toMatchObject({ samples: 2, heldOut: { n: 3, failed: 0 } });
    expect(it1.pairs + Object.values(it1.dropped as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(2);
    if (it1.pairs === 0) expect(existsSync(join(run, 'iter-1', 'untrained.json'))).toBe(true);
    else expect(it1.trainSteps).toBe(Math.ceil(it1.pairs / 2));
    const store = openStore(join(run, 'store.sqlite'), { readonly: true });
    try {
      const generations = store.samplesOfIteration(1).flatMap((id) => store.listGenerations(id, 1));
      expect(generations).toHaveLength(4);
      for (const g of generations) expect(g.finishReason).toMatch(/^(stop|length)$/);
      for (const g of generations.filter((x) => x.kind === 'negative')) expect(g.augmentation).toMatchObject({ noiseSpace: 'model-input', noiseStep: 600 });
    } finally {
      store.close();
    }
    const again = testDeps();
    expect(await runCli(['run', ...flags], again)).toBe(0);
    expect(JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'))).toEqual(summary);
  });

  it('smart train --trainer local on Qwen2-VL pairs: DPO from the imported base, iter-1/model generates with the local backend', async () => {
    const scripted = await startScriptedServer();
    try {
      const flags = [
        '--runs-dir', dir, '--name', 'train', '--backend', 'openai', '--base-url', scripted.baseUrl, '--model', 'scripted',
        '--synthetic-train', '12', '--synthetic-held-out', '2', '--synthetic-image-size', '32', '--samples-per-iteration', '2',
        '--batch-size', '1', '--learning-rate', '0.01', '--lr-scheduler', 'constant', '--warmup-ratio', '0', '--cutoff-len', '512', '--threads', '1',
      ];
      expect(await runCli(['generate', ...flags], testDeps())).toBe(0);
      expect(await runCli(['import-checkpoint', tiny.checkpointDir, '--iteration', '0', ...flags], testDeps())).toBe(0);
      const deps = testDeps();
      const code = await runCli(['train', ...flags], deps);
      expect(deps.stderr.text).not.toContain('smart: ');
      expect(code).toBe(0);
      const iter = join(dir, 'train', 'iter-1');
      const metrics = readFileSync(join(iter, 'train-metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
      expect(metrics.map((m) => m['step'])).toEqual([1, 2]);
      expect(metrics[0]!['loss']).toBeCloseTo(Math.log(2), 5); // step 1: the policy is the reference
      expect(metrics[1]!['loss']).not.toBeCloseTo(Math.log(2), 3);
      expect(readFileSync(join(iter, 'checkpoint', 'model.safetensors')).equals(readFileSync(join(tiny.checkpointDir, 'model.safetensors')))).toBe(false);
      const trained = await TransformersJsGenerator.load({ modelPath: join(iter, 'model'), batchSize: 2, threads: 1 });
      try {
        const image = { kind: 'rgb' as const, width: 24, height: 16, data: new Uint8Array(24 * 16 * 3).fill(90) };
        const [r] = await trained.generate([{ id: 'x', prompt: 'Which square?', image, sampling: { ...DEFAULT_SAMPLING, temperature: 0, maxNewTokens: 4 } }]);
        expect(r!.finishReason).toMatch(/^(stop|length)$/);
      } finally {
        await trained.close();
      }
    } finally {
      await scripted.server.close();
    }
  });
});

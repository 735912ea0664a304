import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransformersJsGenerator } from '@smart/mllm';
import { parse } from 'yaml';
import { runCli } from '../src/cli';
import { testDeps } from './buffer-out';
import { startScriptedServer } from './scripted-server';
import { tinyModel } from './tiny-checkpoint';

jest.setTimeout(90_000);

describe('the external trainer path', () => {
  let dir: string;
  let scripted: Awaited<ReturnType<typeof startScriptedServer>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smart-external-'));
    scripted = await startScriptedServer();
  });
  afterAll(async () => {
    await scripted.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the LLaMA-Factory dataset and a recipe with the paper settings, runs the command, imports its checkpoint', async () => {
    const base = await tinyModel(dir, 0);
    const trained = await tinyModel(dir, 1);
    // The stand-in "trainer": checks the recipe and dataset exist, then writes a checkpoint and trainer_state.json as HF Trainer does.
    const state = JSON.stringify({ log_history: [{ step: 1, loss: 0.6931, learning_rate: 1e-6, 'rewards/margins': 0.0, 'rewards/accuracies': 0.5 }, { step: 2, loss: 0.61, learning_rate: 2e-6, 'rewards/margins': 0.2, 'rewards/accuracies': 0.75 }] });
    const command = `test -f {recipe} && test -f {dataset_dir}/dataset_info.json && mkdir -p {output_dir} && cp -R ${trained.checkpointDir}/. {output_dir}/ && echo '${state}' > {output_dir}/trainer_state.json`;
    const flags = [
      '--runs-dir', dir, '--name', 'ext',
      '--backend', 'openai', '--base-url', scripted.baseUrl, '--model', 'scripted', '--checkpoint', base.checkpointDir,
      '--synthetic-train', '30', '--synthetic-held-out', '4', '--synthetic-image-size', '32', '--samples-per-iteration', '6',
      '--trainer', 'external', '--train-command', command,
    ];
    expect(await runCli(['generate', ...flags], testDeps())).toBe(0);
    const deps = testDeps();
    const code = await runCli(['train', ...flags], deps);
    expect(deps.stderr.text).not.toContain('smart: ');
    expect(code).toBe(0);

    const iter = join(dir, 'ext', 'iter-1');
    const recipe = parse(readFileSync(join(iter, 'recipe.yaml'), 'utf8')) as Record<string, unknown>;
    expect(recipe).toMatchObject({
      model_name_or_path: base.checkpointDir,
      stage: 'dpo',
      pref_loss: 'sigmoid',
      pref_beta: 0.1,
      learning_rate: 2e-6,
      lr_scheduler_type: 'cosine',
      warmup_ratio: 0.1,
      weight_decay: 0,
      num_train_epochs: 1,
      per_device_train_batch_size: 1,
      gradient_accumulation_steps: 128,
      freeze_vision_tower: true,
      freeze_multi_modal_projector: true,
      bf16: true,
      cutoff_len: 4096,
      dataset: 'smart_iter_1',
      dataset_dir: join(iter, 'train-data'),
      output_dir: join(iter, 'external-output'),
    });
    const info = JSON.parse(readFileSync(join(iter, 'train-data', 'dataset_info.json'), 'utf8'));
    expect(info.smart_iter_1).toMatchObject({ file_name: 'smart_iter_1.json', formatting: 'sharegpt', ranking: true });
    const records = JSON.parse(readFileSync(join(iter, 'train-data', 'smart_iter_1.json'), 'utf8')) as { images: string[]; conversations: { value: string }[] }[];
    expect(records).toHaveLength(6);
    for (const r of records) {
      expect(existsSync(join(iter, 'train-data', r.images[0]!))).toBe(true);
      expect(r.conversations[0]!.value.startsWith('<image>')).toBe(true);
    }

    // The imported checkpoint is the trained one, and its inference folder generates.
    expect(readFileSync(join(iter, 'checkpoint', 'model.safetensors'))).toEqual(readFileSync(join(trained.checkpointDir, 'model.safetensors')));
    const metrics = readFileSync(join(iter, 'train-metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(metrics.map((m) => m.step)).toEqual([1, 2]);
    const g = await TransformersJsGenerator.load({ modelPath: join(iter, 'model'), threads: 1 });
    try {
      const [r] = await g.generate([{ id: 'q', prompt: 'How many?', image: { kind: 'rgb', width: 32, height: 32, data: new Uint8Array(32 * 32 * 3).fill(90) }, sampling: { temperature: 0, topP: 1, maxNewTokens: 4 } }]);
      expect(r!.finishReason).not.toBe('error');
      expect(r!.completionTokens).toBeGreaterThan(0);
    } finally {
      await g.close();
    }

    // A second `smart train` finds the imported model and does nothing.
    const again = testDeps();
    expect(await runCli(['train', ...flags.map((f) => (f === command ? 'false {recipe}' : f))], again)).toBe(0);
  });

  it('reports a failing command with its exit code', async () => {
    const base = await tinyModel(dir, 0);
    const flags = [
      '--runs-dir', dir, '--name', 'ext-fail',
      '--backend', 'openai', '--base-url', scripted.baseUrl, '--model', 'scripted', '--checkpoint', base.checkpointDir,
      '--synthetic-train', '30', '--synthetic-held-out', '4', '--synthetic-image-size', '32', '--samples-per-iteration', '4',
      '--trainer', 'external', '--train-command', 'exit 3 # {recipe}',
    ];
    expect(await runCli(['generate', ...flags], testDeps())).toBe(0);
    const deps = testDeps();
    expect(await runCli(['train', ...flags], deps)).toBe(6);
    expect(deps.stderr.text).toContain('external command failed (exit code 3)');
  });
});

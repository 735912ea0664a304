import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@smart/preference-store';
import { runCli } from '../src/cli';
import { testDeps } from './buffer-out';
import { startScriptedServer } from './scripted-server';
import { tinyModel } from './tiny-checkpoint';

jest.setTimeout(120_000);

describe('smart train --trainer local (@smart/dpo-trainer)', () => {
  let dir: string;
  let scripted: Awaited<ReturnType<typeof startScriptedServer>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smart-local-train-'));
    scripted = await startScriptedServer();
  });
  afterAll(async () => {
    await scripted.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('computes reference log-probs into the store, runs DPO and writes iter-1/checkpoint, model and metrics', async () => {
    const base = await tinyModel(dir, 0);
    const flags = [
      '--runs-dir', dir, '--name', 'local', '--backend', 'openai', '--base-url', scripted.baseUrl, '--model', 'scripted',
      '--synthetic-train', '30', '--synthetic-held-out', '4', '--synthetic-image-size', '32', '--samples-per-iteration', '4',
      '--batch-size', '2', '--learning-rate', '0.001', '--lr-scheduler', 'constant', '--warmup-ratio', '0', '--cutoff-len', '512',
    ];
    expect(await runCli(['generate', ...flags], testDeps())).toBe(0);
    // The base model's folders become iteration 0 (the prompt encoder comes from iter-0/model).
    expect(await runCli(['import-checkpoint', base.checkpointDir, '--iteration', '0', ...flags], testDeps())).toBe(0);
    const deps = testDeps();
    const code = await runCli(['train', ...flags], deps);
    expect(deps.stderr.text).not.toContain('smart: ');
    expect(code).toBe(0);

    const iter = join(dir, 'local', 'iter-1');
    const metrics = readFileSync(join(iter, 'train-metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    expect(metrics.map((m) => m['step'])).toEqual([1, 2]); // 4 pairs, batch 2
    expect(metrics[0]!['loss']).toBeCloseTo(Math.log(2), 5); // step 1: the policy is the reference
    expect(metrics[1]!['loss']).not.toBeCloseTo(Math.log(2), 3); // step 2 runs on updated weights
    expect(existsSync(join(iter, 'model', 'onnx', 'decoder_model_merged.onnx'))).toBe(true);
    expect(readFileSync(join(iter, 'checkpoint', 'model.safetensors')).equals(readFileSync(join(base.checkpointDir, 'model.safetensors')))).toBe(false);
    const store = openStore(join(dir, 'local', 'store.sqlite'), { readonly: true });
    try {
      const pairs = store.listPairs({ iteration: 1, kept: true });
      expect(pairs).toHaveLength(4);
      for (const p of pairs) expect(p.refLogpChosen! < 0 && p.refLogpRejected! < 0).toBe(true);
    } finally {
      store.close();
    }
    expect(deps.stderr.text).toContain('iteration 1 train 2/2');

    // Done is done: a re-run does not train again.
    const again = testDeps();
    expect(await runCli(['train', ...flags], again)).toBe(0);
    expect(again.stderr.text).not.toContain('DPO on');
    // The default writes float32 and no torch_dtype the base did not have, as before --dtype existed.
    expect(new Set(Object.values(safetensorsHeader(join(iter, 'checkpoint', 'model.safetensors'))).map((t) => t.dtype))).toEqual(new Set(['F32']));
    expect(JSON.parse(readFileSync(join(iter, 'checkpoint', 'config.json'), 'utf8')).torch_dtype).toBeUndefined();
  });

  it('--dtype bf16 writes the trained checkpoint as BF16 safetensors with torch_dtype bfloat16; --dtype is zod-checked', async () => {
    const base = await tinyModel(dir, 1);
    const flags = [
      '--runs-dir', dir, '--name', 'bf16', '--backend', 'openai', '--base-url', scripted.baseUrl, '--model', 'scripted',
      '--synthetic-train', '30', '--synthetic-held-out', '4', '--synthetic-image-size', '32', '--samples-per-iteration', '2',
      '--batch-size', '2', '--learning-rate', '0.001', '--lr-scheduler', 'constant', '--warmup-ratio', '0', '--cutoff-len', '512', '--dtype', 'bf16',
    ];
    expect(await runCli(['generate', ...flags], testDeps())).toBe(0);
    expect(await runCli(['import-checkpoint', base.checkpointDir, '--iteration', '0', ...flags], testDeps())).toBe(0);
    const deps = testDeps();
    expect(await runCli(['train', ...flags], deps)).toBe(0);
    const ckpt = join(dir, 'bf16', 'iter-1', 'checkpoint');
    const header = safetensorsHeader(join(ckpt, 'model.safetensors'));
    expect(Object.keys(header).length).toBeGreaterThan(10);
    expect(new Set(Object.values(header).map((t) => t.dtype))).toEqual(new Set(['BF16']));
    expect(JSON.parse(readFileSync(join(ckpt, 'config.json'), 'utf8')).torch_dtype).toBe('bfloat16');
    // Two bytes an element: the file is about half the float32 base's.
    expect(statSync(join(ckpt, 'model.safetensors')).size / statSync(join(base.checkpointDir, 'model.safetensors')).size).toBeLessThan(0.52);

    const bad = testDeps();
    expect(await runCli(['train', ...flags.slice(0, -1), 'fp8'], bad)).not.toBe(0);
    expect(bad.stderr.text).toMatch(/dtype/);
    expect(bad.stderr.text).toMatch(/fp32.*bf16.*fp16|'fp32' \| 'bf16' \| 'fp16'/);
  });
});

/** The JSON header of a .safetensors file, without its metadata. */
function safetensorsHeader(file: string): Record<string, { dtype: string }> {
  const bytes = readFileSync(file);
  const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8')) as Record<string, { dtype: string }>;
  delete header['__metadata__'];
  return header;
}

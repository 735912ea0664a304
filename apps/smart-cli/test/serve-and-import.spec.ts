import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli';
import { FakeSignals, testDeps } from './buffer-out';
import { tinyModel } from './tiny-checkpoint';

jest.setTimeout(90_000);

describe('smart serve and smart import-checkpoint', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'smart-serve-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves a model folder over the OpenAI API until Ctrl-C', async () => {
    const model = await tinyModel(dir, 0);
    const signals = new FakeSignals();
    const deps = testDeps({}, signals);
    const done = runCli(['serve', model.modelDir, '--port', '0', '--threads', '1'], deps);
    let url: string | undefined;
    for (let i = 0; i < 200 && !url; i++) {
      url = /serving .* at (http:\/\/\S+)\/v1/.exec(deps.stdout.text)?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 50));
    }
    expect(url).toBeDefined();
    const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual([model.modelDir]);
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: model.modelDir, messages: [{ role: 'user', content: 'Count the shapes.' }], max_tokens: 3, temperature: 0 }),
    });
    expect(res.status).toBe(200);
    signals.emit('SIGINT');
    expect(await done).toBe(0);
  });

  it('imports an HF checkpoint as an iteration\'s model, once', async () => {
    const model = await tinyModel(dir, 2);
    const flags = ['--runs-dir', dir, '--name', 'imp', '--model', model.modelDir];
    const deps = testDeps();
    expect(await runCli(['import-checkpoint', model.checkpointDir, '--iteration', '1', ...flags], deps)).toBe(0);
    expect(deps.stdout.text).toContain('as iteration 1');
    for (const f of ['checkpoint/config.json', 'checkpoint/model.safetensors', 'model/onnx/decoder_model_merged.onnx', 'model/tokenizer.json']) {
      expect(existsSync(join(dir, 'imp', 'iter-1', f))).toBe(true);
    }
    const again = testDeps();
    expect(await runCli(['import-checkpoint', model.checkpointDir, '--iteration', '1', ...flags], again)).toBe(0);
    expect(again.stdout.text).toContain('nothing to do');
    const missing = testDeps();
    expect(await runCli(['import-checkpoint', join(dir, 'nope'), '--iteration', '2', ...flags], missing)).toBe(3);
    expect(missing.stderr.text).toContain('HF checkpoint folder (config.json) not found');
  });
});

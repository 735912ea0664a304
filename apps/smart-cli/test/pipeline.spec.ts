import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@smart/preference-store';
import { runCli } from '../src/cli';
import { FakeSignals, testDeps } from './buffer-out';
import { startScriptedServer } from './scripted-server';

jest.setTimeout(60_000);

/** Flags of a tiny synthetic run generated through the scripted server. */
function runFlags(runsDir: string, name: string, baseUrl: string): string[] {
  return [
    '--runs-dir', runsDir, '--name', name,
    '--backend', 'openai', '--base-url', baseUrl, '--model', 'scripted',
    '--synthetic-train', '40', '--synthetic-held-out', '6', '--synthetic-image-size', '32',
    '--samples-per-iteration', '8', '--generation-batch', '3',
  ];
}

function pairsOf(runDir: string) {
  const store = openStore(join(runDir, 'store.sqlite'), { readonly: true });
  try {
    return { pairs: store.listPairs({ iteration: 1 }).map((p) => [p.sampleId, p.chosen, p.rejected, p.wrongAnswer, p.kept]), funnel: store.funnel(1) };
  } finally {
    store.close();
  }
}

describe('smart generate (openai backend) → pairs in the store', () => {
  let dir: string;
  let scripted: Awaited<ReturnType<typeof startScriptedServer>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smart-pipeline-'));
    scripted = await startScriptedServer();
  });
  afterAll(async () => {
    await scripted.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops at a safe point on Ctrl-C, says how to resume, and the resumed run equals an uninterrupted one', async () => {
    const reference = testDeps();
    expect(await runCli(['generate', ...runFlags(dir, 'whole', scripted.baseUrl)], reference)).toBe(0);
    const requestsWhole = scripted.generator.requests;
    expect(requestsWhole).toBe(16); // 8 positives + 8 negatives
    expect(reference.stdout.text).toContain('iteration 1: 8 samples, 8 with both rationales, 8 pairs kept, 0 dropped');

    const signals = new FakeSignals();
    scripted.generator.onBatch = (n) => {
      if (n === requestsWhole + 6) signals.emit('SIGINT'); // during the second batch of the interrupted run
    };
    const first = testDeps({}, signals);
    expect(await runCli(['generate', ...runFlags(dir, 'cut', scripted.baseUrl)], first)).toBe(130);
    expect(first.stderr.text).toContain('stopping after the current batch');
    expect(first.stderr.text).toContain(`Resume with the same command: smart generate ${runFlags(dir, 'cut', scripted.baseUrl).join(' ')}`);
    expect(signals.exitCode).toBeUndefined();
    scripted.generator.onBatch = undefined;
    const cut = pairsOf(join(dir, 'cut'));
    expect(cut.funnel.withPositive + cut.funnel.withNegative).toBe(6);

    const resumed = testDeps();
    expect(await runCli(['generate', ...runFlags(dir, 'cut', scripted.baseUrl)], resumed)).toBe(0);
    // No request was repeated: the interrupted run asked 6, the resumed one the other 10.
    expect(scripted.generator.requests - requestsWhole).toBe(16);
    expect(pairsOf(join(dir, 'cut'))).toEqual(pairsOf(join(dir, 'whole')));
  });

  it('refuses the folder with another config, naming the field', async () => {
    const deps = testDeps();
    expect(await runCli(['generate', ...runFlags(dir, 'whole', scripted.baseUrl), '--seed', '5'], deps)).toBe(2);
    expect(deps.stderr.text).toContain('seed: 0 (folder) vs 5 (now)');
    expect(deps.stderr.text).not.toContain('    at ');
  });

  it('rejects unknown flags and bad values as usage errors without a stack trace', async () => {
    const a = testDeps();
    expect(await runCli(['generate', '--sampels', '3'], a)).toBe(2);
    expect(a.stderr.text).toContain('Unknown argument');
    const b = testDeps();
    expect(await runCli(['run', '--top-p', '0', '--runs-dir', dir], b)).toBe(2);
    expect(b.stderr.text).toMatch(/config: topP: /);
    expect(b.stderr.text).not.toContain('    at ');
  });

  it('exports the kept pairs in each format', async () => {
    for (const format of ['trl', 'llama-factory', 'parquet']) {
      const deps = testDeps();
      expect(await runCli(['export', '--runs-dir', dir, '--name', 'whole', '--format', format], deps)).toBe(0);
      expect(deps.stdout.text).toContain('exported 8 pairs');
    }
    const trl = readFileSync(join(dir, 'whole', 'export', 'trl', 'trl.jsonl'), 'utf8').trim().split('\n');
    expect(trl).toHaveLength(8);
    expect(existsSync(join(dir, 'whole', 'export', 'llama-factory', 'dataset_info.json'))).toBe(true);
    expect(existsSync(join(dir, 'whole', 'export', 'parquet', 'pairs.parquet'))).toBe(true);
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@smart/core';
import { openStore } from '@smart/preference-store';
import { runCli } from '../src/cli';
import { testDeps } from './buffer-out';
import { startScriptedServer } from './scripted-server';
import { tinyModel } from './tiny-checkpoint';

jest.setTimeout(120_000);

const root = join(__dirname, '..', '..', '..');

function contents(runDir: string) {
  const store = openStore(join(runDir, 'store.sqlite'), { readonly: true });
  try {
    return [1, 2].map((k) => {
      const ids = store.samplesOfIteration(k).sort();
      return {
        ids,
        generations: ids.flatMap((id) => store.listGenerations(id, k).map((g) => [g.sampleId, g.kind, g.candidate, g.prompt, g.text, g.seed ?? g.sampling.seed])),
        pairs: store.listPairs({ iteration: k }).map((p) => [p.sampleId, p.chosen, p.rejected, p.wrongAnswer, p.kept, p.dropReasons]),
        funnel: store.funnel(k),
        evals: store.listEvalResults({ iteration: k }).map((r) => [r.benchmark, r.score, r.scored, r.failed]),
      };
    });
  } finally {
    store.close();
  }
}

/** summary.json without the parts that name the run folder. */
function summaryOf(runDir: string): unknown {
  const s = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as { name: string };
  return { ...s, name: undefined };
}

describe('kill -9 of a smart run child at random points, then re-run', () => {
  let dir: string;
  let scripted: Awaited<ReturnType<typeof startScriptedServer>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smart-kill-'));
    scripted = await startScriptedServer(undefined, (id) => id.endsWith('3'));
  });
  afterAll(async () => {
    await scripted.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let flags: (name: string) => string[];
  beforeAll(async () => {
    const base = await tinyModel(dir, 0);
    const trained = await tinyModel(dir, 1);
    const command = `mkdir -p {output_dir} && cp -R ${trained.checkpointDir}/. {output_dir}/ # {recipe}`;
    flags = (name) => [
      '--runs-dir', dir, '--name', name, '--backend', 'openai', '--base-url', scripted.baseUrl, '--model', 'scripted', '--checkpoint', base.checkpointDir,
      '--synthetic-train', '40', '--synthetic-held-out', '4', '--synthetic-image-size', '32', '--samples-per-iteration', '6', '--generation-batch', '2',
      '--max-iterations', '2', '--trainer', 'external', '--train-command', command,
    ];
  });

  it('smart run loses and duplicates nothing: store and summary end equal to an uninterrupted run', async () => {
    expect(await runCli(['run', ...flags('whole')], testDeps())).toBe(0);
    const whole = contents(join(dir, 'whole'));
    expect(whole.map((w) => w.funnel.samples)).toEqual([6, 6]);
    const total = scripted.generator.requests; // 4 + 2 × (12 + 4)

    scripted.generator.delayMs = 40;
    const rng = createRng(11);
    const partial: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      // Kill the child after a random number of answered requests, somewhere in the whole run.
      const target = scripted.generator.requests + 1 + rng.int(Math.ceil(total / 3));
      const child = spawn(process.execPath, [join(root, 'node_modules', '.bin', 'smart'), 'run', ...flags('killed')], { cwd: root, stdio: 'ignore' });
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      const killed = await new Promise<boolean>((resolve) => {
        scripted.generator.onBatch = (n) => {
          if (n >= target) {
            child.kill('SIGKILL');
            resolve(true);
          }
        };
        void exited.then(() => resolve(false));
      });
      scripted.generator.onBatch = undefined;
      await exited;
      if (!killed) break; // it finished before the kill point
      const f = contents(join(dir, 'killed'));
      partial.push(f[0]!.funnel.withPositive + f[0]!.funnel.withNegative + f[1]!.funnel.withPositive + f[1]!.funnel.withNegative);
    }
    // The kills landed mid-run: some rationales were stored, not all 24.
    expect(partial.length).toBeGreaterThan(0);
    expect(partial[0]).toBeLessThan(24);
    scripted.generator.delayMs = 0;
    expect(await runCli(['run', ...flags('killed')], testDeps())).toBe(0);
    expect(contents(join(dir, 'killed'))).toEqual(whole);
    expect(summaryOf(join(dir, 'killed'))).toEqual(summaryOf(join(dir, 'whole')));
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@smart/core';
import { openStore } from '@smart/preference-store';
import { runCli } from '../src/cli';
import { testDeps } from './buffer-out';
import { startScriptedServer } from './scripted-server';

jest.setTimeout(120_000);

const root = join(__dirname, '..', '..', '..');

function contents(runDir: string) {
  const store = openStore(join(runDir, 'store.sqlite'), { readonly: true });
  try {
    const ids = store.samplesOfIteration(1).sort();
    return {
      ids,
      generations: ids.flatMap((id) => store.listGenerations(id, 1).map((g) => [g.sampleId, g.kind, g.candidate, g.prompt, g.text, g.seed ?? g.sampling.seed])),
      pairs: store.listPairs({ iteration: 1 }).map((p) => [p.sampleId, p.chosen, p.rejected, p.wrongAnswer, p.kept, p.dropReasons]),
      funnel: store.funnel(1),
    };
  } finally {
    store.close();
  }
}

describe('kill -9 at random points, then re-run', () => {
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

  const flags = (name: string) => [
    '--runs-dir', dir, '--name', name, '--backend', 'openai', '--base-url', scripted.baseUrl, '--model', 'scripted',
    '--synthetic-train', '40', '--synthetic-held-out', '4', '--synthetic-image-size', '32', '--samples-per-iteration', '10', '--generation-batch', '2',
  ];

  it('loses and duplicates nothing: the store ends equal to an uninterrupted run', async () => {
    expect(await runCli(['generate', ...flags('whole')], testDeps())).toBe(0);
    const whole = contents(join(dir, 'whole'));
    expect(whole.funnel).toMatchObject({ samples: 10, withBoth: 10, judged: 10 });

    scripted.generator.delayMs = 40;
    const rng = createRng(11);
    const partial: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      // Kill the child after a random number of answered requests (0..7 more than it has seen).
      const target = scripted.generator.requests + 1 + rng.int(8);
      const child = spawn(process.execPath, [join(root, 'node_modules', '.bin', 'smart'), 'generate', ...flags('killed')], { cwd: root, stdio: 'ignore' });
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
      const f = contents(join(dir, 'killed')).funnel;
      partial.push(f.withPositive + f.withNegative);
    }
    // The kills landed mid-generation: some rationales were stored, not all 20.
    expect(partial.length).toBeGreaterThan(0);
    expect(partial[0]).toBeLessThan(20);
    scripted.generator.delayMs = 0;
    expect(await runCli(['generate', ...flags('killed')], testDeps())).toBe(0);
    expect(contents(join(dir, 'killed'))).toEqual(whole);
  });
});

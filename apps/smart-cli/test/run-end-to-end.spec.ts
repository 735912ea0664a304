import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli';
import { testDeps } from './buffer-out';
import { chromiumPath, renderInChromium } from './headless-chromium';
import { startScriptedServer } from './scripted-server';
import { tinyModel } from './tiny-checkpoint';

jest.setTimeout(120_000);

describe('smart run (openai backend, external trainer)', () => {
  let dir: string;
  let scripted: Awaited<ReturnType<typeof startScriptedServer>>;
  let flags: string[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smart-run-'));
    // The scripted model answers held-out questions with (B) (the synthetic task spreads answers over A-D),
    // and its rationales for samples whose id ends in 1 conclude nothing (the conclusion filter drops them).
    scripted = await startScriptedServer(() => 'B', (id) => id.endsWith('1'));
    const base = await tinyModel(dir, 0);
    const trained = await tinyModel(dir, 1);
    const state = JSON.stringify({ log_history: [1, 2, 3].map((step) => ({ step, loss: 0.7 - 0.1 * step, learning_rate: 1e-6 * step, 'rewards/margins': 0.1 * step, 'rewards/accuracies': 0.5 + 0.1 * step })) });
    flags = [
      '--runs-dir', dir, '--name', 'e2e',
      '--backend', 'openai', '--base-url', scripted.baseUrl, '--model', 'scripted', '--checkpoint', base.checkpointDir,
      '--synthetic-train', '40', '--synthetic-held-out', '8', '--synthetic-image-size', '32', '--samples-per-iteration', '6', '--max-iterations', '2',
      '--trainer', 'external', '--train-command', `mkdir -p {output_dir} && cp -R ${trained.checkpointDir}/. {output_dir}/ && echo '${state}' > {output_dir}/trainer_state.json # {recipe}`,
    ];
  });
  afterAll(async () => {
    await scripted.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs base + 2 iterations, writes summary.json, and a re-run asks nothing and keeps the summary', async () => {
    const deps = testDeps();
    const code = await runCli(['run', ...flags], deps);
    expect(deps.stderr.text).not.toContain('smart: ');
    expect(code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'e2e', 'summary.json'), 'utf8'));
    expect(summary.name).toBe('e2e');
    expect(summary.base.heldOut.n).toBe(8);
    expect(summary.iterations).toHaveLength(2);
    for (const it of summary.iterations) {
      expect(it).toMatchObject({ samples: 6, trainSteps: 3, heldOut: { n: 8, failed: 0 } });
      const dropped = (it.dropped['chosen-missing-answer'] ?? 0) as number;
      expect(it.pairs + dropped).toBe(6);
    }
    expect(summary.iterations.reduce((n: number, it: { dropped: Record<string, number> }) => n + (it.dropped['chosen-missing-answer'] ?? 0), 0)).toBeGreaterThan(0);
    expect(summary.stoppedBecause).toBe('max-iterations');
    // Answering (B) everywhere scores exactly the share of held-out items whose answer is B.
    const heldOut = readFileSync(join(dir, 'e2e', 'data', 'held-out.jsonl'), 'utf8').trim().split('\n');
    const bShare = heldOut.filter((l) => /The answer is B/.test(l)).length / heldOut.length;
    expect(summary.base.heldOut.accuracy).toBeCloseTo(bShare, 10);
    expect(deps.stdout.text).toMatch(/iteration 2\s+\d+\.\d%\s+8\s+0\s+6\s+\d\s+3/);

    const requests = scripted.generator.requests;
    expect(requests).toBe(8 + 2 * (12 + 8)); // base eval; per iteration 6 positives + 6 negatives + 8 held-out answers
    const again = testDeps();
    expect(await runCli(['run', ...flags], again)).toBe(0);
    expect(scripted.generator.requests).toBe(requests);
    expect(JSON.parse(readFileSync(join(dir, 'e2e', 'summary.json'), 'utf8'))).toEqual(summary);
  });

  it('writes a self-contained report that renders in headless Chromium without console errors', async () => {
    const report = readFileSync(join(dir, 'e2e', 'report.html'), 'utf8');
    expect(report).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(report).toContain('dropped:'); // example browser shows verdicts
    // Kept pairs against the task's template rationales: the scripted model's rationales are never the template.
    const summary = JSON.parse(readFileSync(join(dir, 'e2e', 'summary.json'), 'utf8')) as { iterations: { iteration: number; pairs: number }[] };
    for (const it of summary.iterations) {
      expect(report).toContain(`<tr><td>${it.iteration}</td><td>all</td><td>${it.pairs}</td><td>0.0%</td><td>0.0%</td></tr>`);
    }
    // A damaged sidecar costs that table only: `smart report` still writes the report, naming the file and line.
    const sidecar = join(dir, 'e2e', 'data', 'train.rationales.jsonl');
    const intact = readFileSync(sidecar, 'utf8');
    try {
      writeFileSync(sidecar, intact.replace(/\n/, '\n{"id": 7}\n'));
      const deps = testDeps();
      expect(await runCli(['report', '--runs-dir', dir, '--name', 'e2e'], deps)).toBe(0);
      const damaged = readFileSync(join(dir, 'e2e', 'report.html'), 'utf8');
      expect(damaged).toContain('<p class="muted" id="template-agreement-error">No template table: ');
      expect(damaged).toContain(`${sidecar}:2: `);
      expect(damaged).not.toContain('<table id="template-agreement">');
      expect(damaged).toContain('<table id="scores">');
    } finally {
      writeFileSync(sidecar, intact);
    }
    expect(await runCli(['report', '--runs-dir', dir, '--name', 'e2e'], testDeps())).toBe(0);
    expect(readFileSync(join(dir, 'e2e', 'report.html'), 'utf8')).toContain('<table id="template-agreement">');

    const chromium = chromiumPath();
    if (!chromium) {
      console.warn('chromium not installed: skipping the headless-browser check of report.html (apt-get install chromium)');
      return;
    }
    // The console check can fail: a page that logs an error is caught.
    const bad = join(dir, 'bad.html');
    writeFileSync(bad, '<html><body><script>console.error("report-broken")</script><p>x</p></body></html>');
    expect((await renderInChromium(chromium, bad, join(dir, 'bad.png'))).consoleLines.join('\n')).toContain('report-broken');

    const r = await renderInChromium(chromium, join(dir, 'e2e', 'report.html'), join(dir, 'report.png'));
    expect(r.consoleLines).toEqual([]);
    expect(r.dom).toContain('<table id="scores">');
    expect((r.dom.match(/<svg class="chart"/g) ?? []).length).toBeGreaterThanOrEqual(2 + 4 + 1); // funnels, 4 curves, scores
    expect((r.dom.match(/<polyline class="series"/g) ?? []).length).toBeGreaterThanOrEqual(4 * 2);
    expect((r.dom.match(/<img alt="image of /g) ?? []).length).toBeGreaterThan(0);
    expect(r.nonWhitePixels / r.pixels).toBeGreaterThan(0.01);
  });
});

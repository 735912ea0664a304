import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticPrompt } from '@smart/evaluators';
import { openStore } from '@smart/preference-store';
import { runCli } from '../src/cli';
import { testDeps } from './buffer-out';

jest.setTimeout(180_000);

describe('smart run with no model (the embedded default, shrunk)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'smart-default-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds the base by SFT, evaluates it, runs an iteration on the local backend and trainer, and resumes to the same summary', async () => {
    const flags = [
      '--runs-dir', dir,
      '--base-preset', 'tiny', '--base-steps', '3', '--base-follow-steps', '2', '--base-batch-size', '2', '--base-merges', '40', '--base-items', '4',
      '--synthetic-train', '12', '--synthetic-held-out', '3', '--synthetic-image-size', '32',
      '--samples-per-iteration', '2', '--max-iterations', '1', '--max-new-tokens', '12', '--eval-max-new-tokens', '6',
      '--batch-size', '2', '--micro-batch-size', '1', '--generation-batch', '4',
    ];
    const deps = testDeps();
    const code = await runCli(['run', ...flags], deps);
    expect(deps.stderr.text).not.toContain('smart: ');
    expect(code).toBe(0);
    const run = join(dir, 'default');
    expect(existsSync(join(run, 'iter-0', 'base-done.json'))).toBe(true);
    // The embedded default runs its sessions on one intra-op thread, so a build is bit-reproducible.
    expect(JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'))).toMatchObject({ threads: 1 });
    // The task SFT, then the follow stage (AoT rows told wrong options too) continuing it into iter-0/.
    const metricsOf = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; loss: number });
    const taskMetrics = metricsOf(join(run, 'iter-0', 'task-sft', 'train-metrics.jsonl'));
    const followMetrics = metricsOf(join(run, 'iter-0', 'train-metrics.jsonl'));
    expect([taskMetrics.map((m) => m.step), followMetrics.map((m) => m.step)]).toEqual([[1, 2, 3], [1, 2]]);
    expect([...taskMetrics, ...followMetrics].every((m) => Number.isFinite(m.loss) && m.loss > 0)).toBe(true);
    expect(JSON.parse(readFileSync(join(run, 'iter-0', 'base-done.json'), 'utf8'))).toMatchObject({ steps: 3, followSteps: 2 });
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'));
    expect(summary.base.heldOut).toMatchObject({ n: 3, failed: 0 });
    // Per question variant: buckets of the held-out file's own tags, whose items add up to the scored ones.
    const variants = readFileSync(join(run, 'data', 'held-out.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { meta: { question: string } }).meta.question);
    const byQuestion = summary.base.heldOut.breakdowns.question as Record<string, { accuracy: number; n: number }>;
    expect(Object.keys(byQuestion).sort()).toEqual([...new Set(variants)].sort());
    for (const [v, cell] of Object.entries(byQuestion)) expect(cell.n).toBe(variants.filter((x) => x === v).length);
    expect(summary.iterations).toHaveLength(1);
    const it1 = summary.iterations[0];
    expect(it1.samples).toBe(2);
    // Both rationales of both samples were generated (negatives as noised model-input tensors) and judged.
    expect(it1.pairs + Object.values(it1.dropped as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(2);
    expect(it1.heldOut).toMatchObject({ n: 3, failed: 0 });
    // A 3-step base rarely concludes with the told answer; whatever survived was trained on, or the iteration kept the base.
    if (it1.pairs === 0) expect(existsSync(join(run, 'iter-1', 'untrained.json'))).toBe(true);
    else expect(it1.trainSteps).toBe(5 * Math.ceil(it1.pairs / 2)); // 5 epochs of batch 2 (micro-batch 1 × 2)
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain('>base SFT</text>'); // the base's SFT curve is in the report
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain('<table id="breakdown-question">');
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain(
      '<p id="training">preference training: local trainer: sigmoid DPO β 0.1 + RPO α 100 (NLL of the chosen rationale), whole rationales, lr 3e-4 cosine, batch 2, 5 epochs, parts: all</p>',
    );
    // Pairs ask their question exactly as the held-out scorer does (the text the base was fine-tuned on).
    const store = openStore(join(run, 'store.sqlite'), { readonly: true });
    try {
      const verdicts = store.listPairs({ iteration: 1 });
      expect(verdicts).toHaveLength(2);
      for (const p of verdicts) expect(p.prompt).toBe(syntheticPrompt(store.getSample(p.sampleId)!.sample));
    } finally {
      store.close();
    }
    // The control: continued SFT of the base on the iteration's samples, as many steps as SMART's wall time buys
    // at the seconds per step measured when the control ran (its plan, kept for resumes), scored on the held-out set.
    const plan = JSON.parse(readFileSync(join(run, 'control', 'control-plan.json'), 'utf8')) as { steps: number; secondsPerStep: number; budgetSeconds: number };
    expect(plan.secondsPerStep).toBeGreaterThan(0);
    expect(summary.control).toMatchObject({ samples: 2, heldOut: { n: 3, failed: 0 }, ...plan });
    expect(summary.control.steps).toBe(Math.max(1, Math.round(summary.control.budgetSeconds / summary.control.secondsPerStep)));
    expect(existsSync(join(run, 'control', 'calibration'))).toBe(false);
    const timings = readFileSync(join(run, 'timings.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { stage: string });
    // Filtering a handful of candidates can finish under the recording threshold (stages that take ~0 s are
    // not recorded, so a resumed no-op run adds no lines): it is optional here, every other stage is required.
    const recorded = new Set(timings.map((t) => t.stage));
    recorded.add('filtering');
    expect(recorded).toEqual(new Set(['data', 'base-sft', 'generation', 'filtering', 'eval', 'control-sft', ...(it1.pairs > 0 ? ['reference-logps', 'dpo'] : [])]));
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain('control: base + SFT for SMART');

    const again = testDeps();
    expect(await runCli(['run', ...flags], again)).toBe(0);
    expect(again.stderr.text).not.toContain('base SFT:');
    expect(again.stderr.text).not.toMatch(/generate \d+\/\d+ ·.*tok\/s/);
    expect(JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'))).toEqual(summary);

    // Another folder of the same config builds the same base and iteration, bit for bit.
    const twin = testDeps();
    expect(await runCli(['run', ...flags, '--name', 'twin', '--no-control'], twin)).toBe(0);
    const weights = (root: string, k: number) => readFileSync(join(root, `iter-${k}`, 'checkpoint', 'model.safetensors'));
    expect(weights(join(dir, 'twin'), 0).equals(weights(run, 0))).toBe(true);
    if (it1.pairs > 0) expect(weights(join(dir, 'twin'), 1).equals(weights(run, 1))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'twin', 'summary.json'), 'utf8')).iterations).toEqual(summary.iterations);
  });
});

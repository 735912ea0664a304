import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli';
import { ablationTable } from '../src/commands/ablate-command';
import { ABLATION_ROWS } from '../src/stages/ablation-rows';
import { testDeps } from './buffer-out';

jest.setTimeout(600_000);

describe('ablation table', () => {
  it('reports mean ± standard error over seeds (sample standard deviation / √n)', () => {
    expect(ablationTable([{ row: 'x', label: '(1) SFT on A', accuracies: [0.4, 0.5] }])).toContain('| (1) SFT on A | 45.0 ± 5.0 | 40.0, 50.0 |');
    expect(ablationTable([{ row: 'x', label: 'r', accuracies: [null, null] }])).toContain('| r | — | —, — |');
  });
});

describe('smart ablate on the embedded default (shrunk)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'smart-ablate-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs every Table 2 row for 2 seeds from one shared base and writes the table", async () => {
    const flags = [
      '--runs-dir', dir, '--threads', '1',
      '--base-preset', 'tiny', '--base-steps', '2', '--base-follow-steps', '1', '--base-batch-size', '2', '--base-merges', '40', '--base-items', '4',
      '--synthetic-train', '16', '--synthetic-held-out', '2', '--synthetic-image-size', '32',
      '--samples-per-iteration', '2', '--max-new-tokens', '8', '--eval-max-new-tokens', '4',
      '--batch-size', '2', '--micro-batch-size', '1', '--generation-batch', '4', '--no-control',
    ];
    const deps = testDeps();
    const code = await runCli(['ablate', '--seeds', '2', ...flags], deps);
    expect(deps.stderr.text).not.toContain('smart: ');
    expect(code).toBe(0);
    const table = readFileSync(join(dir, 'default-ablate.md'), 'utf8');
    for (const r of ABLATION_ROWS) expect(table).toContain(`| ${r.label} |`);
    // The base is built once and shared: each seed folder has a copy of it, not a new SFT.
    expect(deps.stderr.text.match(/base SFT: /g)).toHaveLength(1);
    for (const s of [0, 1]) {
      const seedRun = join(dir, `default-ablate-s${s}`);
      expect(JSON.parse(readFileSync(join(seedRun, 'summary.json'), 'utf8')).iterations).toHaveLength(3);
      expect(existsSync(join(seedRun, 'ablate', 'sft-answer', 'eval', 'held-out', 'synthetic.json'))).toBe(true);
    }
    expect(readFileSync(join(dir, 'default-ablate-s0', 'data', 'held-out.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'default', 'data', 'held-out.jsonl'), 'utf8'));
  });
});

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../src/cli';
import { testDeps } from './buffer-out';

const root = join(__dirname, '..', '..', '..');
const COMMANDS = ['run', 'generate', 'filter', 'train', 'eval', 'export', 'import-checkpoint', 'report', 'ablate', 'serve'];

describe('the smart bin', () => {
  jest.setTimeout(60_000);

  it('runs the TypeScript sources from the repository root (npx smart --help) and lists every command', () => {
    const out = spawnSync('/bin/sh', ['-c', 'node node_modules/.bin/smart --help; node node_modules/.bin/smart run --nope 1; echo "rc=$?"'], { cwd: root, encoding: 'utf8' });
    for (const c of COMMANDS) expect(out.stdout).toContain(`smart ${c}`);
    expect(out.stdout).toContain('rc=2');
    expect(out.stderr.trim()).toBe('smart: usage: Unknown argument: nope\nSee `smart --help` and `smart <command> --help`.\n(run with --verbose for details)');
  });

  it.each(COMMANDS)('smart %s --help describes the command and its options', async (command) => {
    const deps = testDeps();
    expect(await runCli([command, '--help'], deps)).toBe(0);
    expect(deps.stdout.text).toContain(`smart ${command}`);
    expect(deps.stdout.text).toContain('--verbose');
    if (command !== 'serve') {
      expect(deps.stdout.text).toContain('--samples-per-iteration');
      expect(deps.stdout.text.replace(/\s+/g, " ")).toContain("Questions drawn per iteration, disjoint across iterations (paper: 6000).");
    }
  });
});

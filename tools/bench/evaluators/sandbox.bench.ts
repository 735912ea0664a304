// Cost of MMCode's sandbox per test case: one stdin/stdout test of a small correct program, run
// (a) as a bare `python3 solution.py` child (what the official, unsandboxed harness pays),
// (b) through the sandbox with the Python guard only, (c) with the guard inside `unshare -n -p -f`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSandboxed, stdoutMatches, unshareAvailable } from '@smart/evaluators';
import { measure } from '../lib/measure';
import { printTable } from '../lib/table';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const CODE = 'a, b = map(int, input().split())\nprint(a + b)\n';

async function bare(dir: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(PYTHON, ['solution.py'], { cwd: dir, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', () => (stdoutMatches(out, '5') ? resolve() : reject(new Error(`bad output ${out}`))));
    child.stdin.end('2 3\n');
  });
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-bench-'));
  try {
    await writeFile(join(dir, 'solution.py'), CODE);
    const opts = { minMs: 3000, minRuns: 10 };
    const ref = await measure('bare python3 child', () => bare(dir), opts);
    const check = async (isolation: 'none' | 'unshare'): Promise<void> => {
      const r = await runSandboxed(CODE, '2 3\n', { python: PYTHON, isolation });
      if (r.status !== 'ok' || !stdoutMatches(r.stdout, '5')) throw new Error(`sandbox run failed: ${r.status} ${r.stderr}`);
    };
    const rows = [ref, await measure('sandbox, guard only', () => check('none'), opts)];
    if (unshareAvailable()) rows.push(await measure('sandbox, guard + unshare -n -p', () => check('unshare'), opts));
    printTable(['variant', 'runs', 'median ms', 'min ms', 'median / bare'], rows.map((t) => [t.name, t.runs, t.medianMs, t.minMs, t.medianMs / ref.medianMs]));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main();

// Cost of MMCode's sandbox per test case. One problem = one program run on all its test cases in one
// process (as the official harness does). Rows:
//   (a) a bare `python3 solution.py` child per test case (no preamble, no harness, no isolation);
//   (b) a bare `python3` child per test case that also runs the official import preamble (numpy);
//   (c) our harness with `isolation: 'unsafe-none'` (same runner, no namespaces);
//   (d) our harness in bubblewrap (new user/PID/net/IPC/UTS/mount namespaces, rlimits).
// Ratios are per test case against (a) and (b), from this one run.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MMCODE_PREAMBLE, checkSandbox, parseMMCodeTests, runProblem, type RunProblemOptions } from '@smart/evaluators';
import { measure, type Timing } from '../lib/measure';
import { printTable } from '../lib/table';

const PYTHON = '/usr/bin/python3';
const CODE = '\na, b = map(int, input().split())\nprint(a + b)\n';

function bareChild(dir: string, script: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(PYTHON, [script], { cwd: dir, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', () => (out.trim() === '5' ? resolve() : reject(new Error(`bad output ${out}`))));
    child.stdin.end('2 3\n');
  });
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-bench-'));
  try {
    await writeFile(join(dir, 'solution.py'), CODE);
    await writeFile(join(dir, 'preamble.py'), MMCODE_PREAMBLE + CODE);
    const opts = { minMs: 3000, minRuns: 10 };
    await checkSandbox({});
    const bare = await measure('bare python3 child', () => bareChild(dir, 'solution.py'), opts);
    const barePre = await measure('bare python3 child + official preamble', () => bareChild(dir, 'preamble.py'), opts);
    const rows: Array<[Timing, number, Timing | null]> = [[bare, 1, null], [barePre, 1, null]];
    for (const tests of [1, 10]) {
      const problem = parseMMCodeTests(JSON.stringify({ inputs: Array(tests).fill('2 3\n'), outputs: Array(tests).fill('5\n') }));
      const harness = (name: string, o: RunProblemOptions) => measure(`${name}, ${tests} test${tests > 1 ? 's' : ''}/problem`, async () => {
        const r = await runProblem(CODE, problem, o);
        if (r.verdict !== 'pass') throw new Error(`sandbox run failed: ${r.verdict} ${r.detail ?? ''}`);
      }, opts);
      const open = await harness('harness, unsafe-none', { isolation: 'unsafe-none' });
      rows.push([open, tests, null], [await harness('harness in bubblewrap', {}), tests, open]);
    }
    printTable(
      ['variant', 'runs', 'median ms / run', 'ms / test case', '÷ bare python3', '÷ bare + preamble', '÷ unsandboxed harness'],
      rows.map(([t, n, open]) => [
        t.name, String(t.runs), t.medianMs, t.medianMs / n, t.medianMs / n / bare.medianMs, t.medianMs / n / barePre.medianMs,
        open ? t.medianMs / open.medianMs : '',
      ]),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main();

// Test helper shared by the packages' specs (not part of any library build): Debian's python3 with torch is the
// correctness oracle; specs that need it skip with one message where it is not installed.
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';
let available: boolean | undefined;

/** Whether `/usr/bin/python3` imports torch and numpy (checked once per process; one message when it does not). */
export function torchAvailable(): boolean {
  if (available === undefined) {
    available = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { timeout: 60_000 }).status === 0;
    if (!available) console.warn(`SKIPPED: PyTorch oracle tests need ${PYTHON} with torch and numpy (apt-get install -y python3-torch python3-numpy)`);
  }
  return available;
}

/** `it` when the oracle is installed, `it.skip` otherwise. */
export const itWithTorch = (): jest.It => (torchAvailable() ? it : it.skip);

/** `describe` when the oracle is installed, `describe.skip` otherwise. */
export const describeWithTorch = (): jest.Describe => (torchAvailable() ? describe : describe.skip);

export interface PythonRun {
  /** A script file to run, or */
  script?: string;
  /** a program given as `-c` text. */
  code?: string;
  args?: string[];
  /** Written to the program's stdin. */
  input?: string;
  timeoutMs?: number;
}

/** Runs the oracle Python and returns what it printed; throws with its stderr when it fails. */
export function runPythonOutput(run: PythonRun): { stdout: string; stderr: string } {
  const program = run.script !== undefined ? [run.script] : ['-c', run.code ?? ''];
  const r = spawnSync(PYTHON, [...program, ...(run.args ?? [])], {
    encoding: 'utf8',
    timeout: run.timeoutMs ?? 600_000,
    maxBuffer: 256 << 20,
    ...(run.input !== undefined ? { input: run.input } : {}),
  });
  if (r.status !== 0) throw new Error(`${run.script ?? 'python -c'} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

/** Runs the oracle Python and returns its stdout; throws with its stderr when it fails. */
export function runPython(run: PythonRun): string {
  return runPythonOutput(run).stdout;
}

/** Runs the oracle Python and parses its stdout as JSON. */
export function runPythonJson<T>(run: PythonRun): T {
  return JSON.parse(runPython(run)) as T;
}

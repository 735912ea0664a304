import { spawnSync } from 'node:child_process';

const PYTHON = '/usr/bin/python3';
let available: boolean | undefined;

/** Whether the reference Python (Debian python3 with torch) is installed; checked once per process. */
export function pythonOracleAvailable(): boolean {
  if (available === undefined) {
    const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
    available = r.status === 0;
    if (!available) console.warn(`skipping Python-oracle tests: ${PYTHON} -c "import torch" failed`);
  }
  return available;
}

/** Runs a Python snippet that reads JSON on stdin and prints JSON; returns the parsed output. */
export function runPythonJson<T>(code: string, input: unknown): T {
  const r = spawnSync(PYTHON, ['-c', code], { input: JSON.stringify(input), encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

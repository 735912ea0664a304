import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const PYTHON = '/usr/bin/python3';
let available: boolean | undefined;

/** Whether Debian's python3 with torch is installed (the correctness oracle). Logs once when it is not. */
export function torchAvailable(): boolean {
  if (available === undefined) {
    available = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status === 0;
    if (!available) console.warn('SKIPPED: PyTorch oracle tests need /usr/bin/python3 with torch (apt-get install -y python3-torch)');
  }
  return available;
}

/** `it` when the oracle is installed, `it.skip` otherwise. */
export const itWithTorch = (): jest.It => (torchAvailable() ? it : it.skip);

/** Runs `test/oracle/<script>` with arguments and returns its parsed JSON stdout. */
export function runOracle<T>(script: string, args: string[]): T {
  const r = spawnSync(PYTHON, [join(__dirname, 'oracle', script), ...args], { encoding: 'utf8', timeout: 600_000, maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

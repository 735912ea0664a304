// Test helper (not part of the library build): runs the PyTorch oracle when Debian's python3-torch exists.
import { spawnSync } from 'node:child_process';

const PYTHON = '/usr/bin/python3';
let available: boolean | undefined;

/** Whether `/usr/bin/python3 -c "import torch"` works (checked once). */
export function torchAvailable(): boolean {
  if (available === undefined) {
    available = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { timeout: 60_000 }).status === 0;
    if (!available) console.warn('SKIPPED: PyTorch oracle tests need /usr/bin/python3 with torch (apt-get install -y python3-torch).');
  }
  return available;
}

/** Runs a Python script with arguments and returns its stdout, throwing with stderr on failure. */
export function runPython(script: string, args: string[]): string {
  const out = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', timeout: 300_000, maxBuffer: 256 << 20 });
  if (out.status !== 0) throw new Error(`python oracle failed: ${out.stderr}`);
  return out.stdout;
}

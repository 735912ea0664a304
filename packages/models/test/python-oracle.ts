import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const PYTHON = '/usr/bin/python3';
let available: boolean | undefined;

/** Whether Debian's python3 with torch is installed (the correctness oracle). Logs once when it is not. */
export function torchAvailable(): boolean {
  if (available === undefined) {
    available = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status === 0;
    if (!available) console.warn('skipping PyTorch oracle tests: /usr/bin/python3 with torch is not installed (apt-get install python3-torch)');
  }
  return available;
}

/** Runs the independent PyTorch LLaVA forward (test/oracle/llava_reference.py). */
export function runLlavaReference(modelDir: string, inputsJson: string, outFile: string): void {
  const script = join(__dirname, 'oracle', 'llava_reference.py');
  const r = spawnSync(PYTHON, [script, modelDir, inputsJson, outFile], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`llava_reference.py failed: ${r.stderr}`);
}

/** Runs the independent PyTorch Qwen2-VL forward (test/oracle/qwen2_vl_reference.py); writes `<outPrefix>.{logits,positions,patches}.bin`. */
export function runQwen2VlReference(modelDir: string, inputsJson: string, outPrefix: string): void {
  const script = join(__dirname, 'oracle', 'qwen2_vl_reference.py');
  const r = spawnSync(PYTHON, [script, modelDir, inputsJson, outPrefix], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`qwen2_vl_reference.py failed: ${r.stderr}`);
}

import { join } from 'node:path';
import { runPython } from '../../../tools/jest/python-oracle';

export { torchAvailable } from '../../../tools/jest/python-oracle';

/** Runs the independent PyTorch LLaVA forward (test/oracle/llava_reference.py). */
export function runLlavaReference(modelDir: string, inputsJson: string, outFile: string): void {
  runPython({ script: join(__dirname, 'oracle', 'llava_reference.py'), args: [modelDir, inputsJson, outFile], timeoutMs: 300_000 });
}

/** Runs the independent PyTorch Qwen2-VL forward (test/oracle/qwen2_vl_reference.py); writes `<outPrefix>.{logits,positions,patches}.bin`. */
export function runQwen2VlReference(modelDir: string, inputsJson: string, outPrefix: string): void {
  runPython({ script: join(__dirname, 'oracle', 'qwen2_vl_reference.py'), args: [modelDir, inputsJson, outPrefix], timeoutMs: 300_000 });
}

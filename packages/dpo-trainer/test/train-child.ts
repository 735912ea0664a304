// A training process for the kill-and-resume test: `tsx train-child.ts <tiny-model-dir> <output-dir> [pause-ms]`.
// Prints one JSON line per progress event and then blocks `pause-ms`, so the parent's kill -9 lands mid-run
// (tiny steps take milliseconds; without the pause the run would end before the signal arrives).
import { createPromptEncoder } from '@smart/mllm';
import { join } from 'node:path';
import { parseDpoConfig } from '../src/config/parse-config';
import { trainDpo } from '../src/trainer/train-dpo';
import { tinyPairs } from './tiny-pairs';

/** The run the kill test repeats: 6 pairs, micro-batches of 2 accumulated in pairs, shuffled each epoch, saved every 3 steps. */
export const CHILD_CONFIG = {
  learning_rate: 5e-4,
  lr_scheduler_type: 'cosine',
  warmup_ratio: 0.1,
  weight_decay: 0.01,
  per_device_train_batch_size: 2,
  gradient_accumulation_steps: 2,
  num_train_epochs: 12,
  logging_steps: 2,
  save_steps: 3,
  seed: 7,
} as const;

async function main(): Promise<void> {
  const [modelDir, outputDir, pause] = process.argv.slice(2) as [string, string, string?];
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const encoder = await createPromptEncoder(join(modelDir, 'model'));
  // Ctrl-C saves and stops at the next safe point, as a CLI wires it.
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  const result = await trainDpo({
    config: parseDpoConfig(CHILD_CONFIG),
    examples: tinyPairs(6),
    encoder,
    modelDir: join(modelDir, 'checkpoint'),
    outputDir,
    inferenceFolder: false,
    signal: ac.signal,
    onProgress: (p) => {
      process.stdout.write(`${JSON.stringify({ phase: p.phase, step: p.step })}\n`);
      if (pause) Atomics.wait(sleeper, 0, 0, Number(pause));
    },
  });
  process.stdout.write(`${JSON.stringify({ phase: 'result', ...result })}\n`);
}

if (require.main === module) void main();

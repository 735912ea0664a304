import { join } from 'node:path';
import { writeEvalOutputs, type EvalRun, type Judge } from '@smart/evaluators';
import type { Generator } from '@smart/types';
import { ConfigError } from '../../errors/errors';
import { Progress } from '../../progress/progress';
import type { StageIo } from '../stage-context';
import { JUDGE_USE, loadBenchmark, type BenchmarkData } from './benchmark-adapters';
import { ResponseLog } from './response-log';

/** Options of {@link runBenchmark}. */
export interface RunBenchmarkOptions {
  spec: BenchmarkData;
  generator: Generator;
  judge?: Judge;
  /** Gets `<benchmark>.responses.jsonl` (resume log), `<benchmark>.jsonl` and `<benchmark>.json`. */
  outDir: string;
  iteration?: number;
  /** Requests per generate() call (the resume granularity). */
  batchSize: number;
  io: StageIo;
}

/** What a benchmark run produced, plus how many requests failed to generate (counted as failures). */
export interface BenchmarkOutcome {
  run: EvalRun;
  generationFailures: number;
  skippedRows: number;
  files: { jsonl: string; json: string };
}

/**
 * Generates the answers still missing (resuming from the response log), then scores every item;
 * items without an answer are failures in the headline, never zeros.
 */
export async function runBenchmark(o: RunBenchmarkOptions): Promise<BenchmarkOutcome> {
  const { benchmark } = o.spec;
  if (JUDGE_USE[benchmark] === 'required' && !o.judge) {
    throw new ConfigError(`benchmark ${benchmark} is scored by a judge: pass --judge-base-url and --judge-model`, 'judgeBaseUrl');
  }
  // Images a Parquet or MMCode file embeds go beside the outputs, not next to a data file that may be read-only.
  const loaded = await loadBenchmark({ imageDir: join(o.outDir, 'images'), ...o.spec });
  const model = o.generator.modelId;
  const log = ResponseLog.open(join(o.outDir, `${benchmark}.responses.jsonl`), model);
  const todo = loaded.requests.filter((r) => !log.responses.has(r.id));
  const progress = new Progress({ sink: o.io.progress, label: `eval ${benchmark}`, total: loaded.requests.length });
  progress.update(loaded.requests.length - todo.length);
  let failures = 0;
  for (let i = 0; i < todo.length; i += o.batchSize) {
    o.io.interrupt.check(`eval ${benchmark}`);
    const results = await o.generator.generate(todo.slice(i, i + o.batchSize), { onTokens: (n) => progress.addTokens(n) });
    log.append(model, results.filter((r) => r.finishReason !== 'error'));
    failures += results.filter((r) => r.finishReason === 'error').length;
    progress.update(loaded.requests.length - todo.length + i + results.length, failures > 0 ? { failed: failures } : {});
  }
  progress.finish();
  const run = await loaded.score(log.responses, { model, ...(o.judge ? { judge: o.judge } : {}), ...(o.iteration === undefined ? {} : { iteration: o.iteration }) });
  const files = await writeEvalOutputs(o.outDir, run);
  return { run, generationFailures: failures, skippedRows: loaded.skipped, files };
}

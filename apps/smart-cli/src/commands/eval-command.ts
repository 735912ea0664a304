import { resolve } from 'node:path';
import { formatTable } from '@smart/evaluators';
import { openStore } from '@smart/preference-store';
import type { BenchmarkName } from '@smart/types';
import type { CommandModule } from 'yargs';
import { LazyGenerator } from '../backends/lazy-generator';
import { makeGenerator } from '../backends/make-generator';
import { makeJudge } from '../backends/make-judge';
import { resolveConfig } from '../config/load-config';
import { ConfigError } from '../errors/errors';
import { runBenchmark, type BenchmarkOutcome } from '../stages/eval/run-benchmark';
import { evaluateModel } from '../stages/run-loop';
import { prepareData } from '../stages/prepare-data';
import type { CliDeps } from './cli-deps';
import { configFlags, withConfigFlags, type CommonArgs } from './config-flags';
import { openRun, stageIo } from './open-run';
import { printSummary } from './print-summary';
import { publishReport } from '../stages/publish-results';
import { generatorFactory } from './wiring';

const BENCHMARKS: BenchmarkName[] = ['mathvista', 'm3cot', 'mmvet', 'mmcode', 'llava-bench', 'synthetic'];

type EvalArgs = CommonArgs & { benchmark?: BenchmarkName; limit?: number; out?: string; iteration: number; data?: string; imageRoot?: string };

/** The one-line headline: score, items scored, failures. */
export function headline(o: BenchmarkOutcome): string {
  const r = o.run.result;
  const score = Number.isNaN(r.score) ? '—' : r.scale === 'fraction' ? `${(r.score * 100).toFixed(2)}%` : r.score.toFixed(2);
  return `${r.benchmark}: ${score} (${r.scored} scored, ${r.failed} failed${o.skippedRows ? `, ${o.skippedRows} invalid rows skipped` : ''})`;
}

/** `smart eval`: one benchmark on any model, or a run iteration's held-out set and configured benchmarks. */
export function evalCommand(deps: CliDeps): CommandModule<object, EvalArgs> {
  return {
    command: 'eval',
    describe:
      'Evaluate a model. With --benchmark: score one benchmark (mathvista, m3cot, mmvet, mmcode, llava-bench, synthetic = any MathV360K-format MC JSONL) for --model; resumable, prints a table, writes <out>/<benchmark>.{jsonl,json}. Without: evaluate a run iteration (--iteration) on its held-out set and benchmarks.',
    builder: (y) =>
      withConfigFlags(y)
        .option('benchmark', { type: 'string', choices: BENCHMARKS, describe: 'Benchmark to score (standalone mode).', group: 'Eval:' })
        .option('limit', { type: 'number', describe: 'Score only the first N items.', group: 'Eval:' })
        .option('out', { type: 'string', describe: 'Output folder of standalone mode (default runs/eval/<benchmark>).', group: 'Eval:' })
        .option('iteration', { type: 'number', default: 0, describe: 'Run mode: the iteration whose model to evaluate (0 = base).', group: 'Eval:' }) as never,
    handler: async (argv) => {
      if (argv.benchmark) return evalStandalone(argv as EvalArgs & { benchmark: BenchmarkName }, deps);
      const run = openRun(argv, deps, { mustExist: true });
      const { generatorFor, dispose } = generatorFactory(run.config, run.paths, deps.env, run.io);
      try {
        const judge = makeJudge(run.config, run.store, deps.env);
        const data = await prepareData(run.config, run.paths, run.io);
        await evaluateModel({ ...run, data, iteration: argv.iteration, generatorFor, ...(judge ? { judge } : {}) });
        printSummary(deps, run.paths, await publishReport(run));
      } finally {
        await dispose();
        run.close();
      }
    },
  };
}

async function evalStandalone(argv: EvalArgs & { benchmark: BenchmarkName }, deps: CliDeps): Promise<void> {
  if (!argv.data) throw new ConfigError(`--benchmark ${argv.benchmark} needs --data (the benchmark file)`, 'data');
  const flags = configFlags(argv);
  // --data and --image-root name the benchmark here, not a training set.
  delete flags['data'];
  delete flags['imageRoot'];
  const config = resolveConfig({ flags });
  if (!config.model) throw new ConfigError('pass --model (a transformers.js folder, or the served name with --backend openai)', 'model');
  const outDir = resolve(argv.out ?? `runs/eval/${argv.benchmark}`);
  const store = openStore(resolve(outDir, 'judge-cache.sqlite'));
  const { io, dispose } = stageIo(deps);
  const settings = {
    backend: config.backend,
    model: config.model,
    concurrency: config.concurrency,
    device: config.device,
    generationBatch: config.generationBatch,
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    ...(config.apiKeyEnv ? { apiKeyEnv: config.apiKeyEnv } : {}),
    ...(config.threads ? { threads: config.threads } : {}),
  };
  const generator = new LazyGenerator(config.backend === 'local' ? resolve(config.model) : config.model, () => makeGenerator(settings, deps.env));
  try {
    const judge = makeJudge(config, store, deps.env);
    const out = await runBenchmark({
      spec: { benchmark: argv.benchmark, data: argv.data, maxNewTokens: config.evalMaxNewTokens, ...(argv.imageRoot ? { imageRoot: argv.imageRoot } : {}), ...(argv.limit ? { limit: argv.limit } : {}) },
      generator,
      ...(judge ? { judge } : {}),
      outDir,
      batchSize: config.generationBatch,
      io,
    });
    deps.stdout.write(`${formatTable(out.run)}\n${headline(out)}\nwrote ${out.files.jsonl} and ${out.files.json}\n`);
  } finally {
    await generator.close();
    dispose();
    store.close();
  }
}

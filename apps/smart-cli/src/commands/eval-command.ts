import { resolve } from 'node:path';
import { displayScore, formatTable, isCompleteRun, tallyItems, type EvalRun } from '@smart/evaluators';
import { openStore } from '@smart/preference-store';
import type { BenchmarkName } from '@smart/types';
import type { CommandModule } from 'yargs';
import { LazyGenerator } from '../backends/lazy-generator';
import { makeGenerator } from '../backends/make-generator';
import { makeJudge } from '../backends/make-judge';
import { resolveConfig } from '../config/load-config';
import { ConfigError, IncompleteEvalError } from '../errors/errors';
import { runBenchmark, type BenchmarkOutcome } from '../stages/eval/run-benchmark';
import { evaluateModel } from '../stages/run-loop';
import { prepareData } from '../stages/prepare-data';
import type { CliDeps } from './cli-deps';
import { configFlags, withConfigFlags, type CommonArgs } from './config-flags';
import { openRun, stageIo } from './open-run';
import { printSummary } from './print-summary';
import { publishReport } from '../stages/publish-results';
import { generatorFactory } from './wiring';
import { EXIT } from '../errors/error-table';
import { requireCompleteIteration } from '../stages/eval/eval-completeness';

const BENCHMARKS: BenchmarkName[] = ['mathvista', 'm3cot', 'mmvet', 'mmcode', 'llava-bench', 'synthetic'];

type EvalArgs = CommonArgs & {
  benchmark?: BenchmarkName;
  limit?: number;
  out?: string;
  iteration: number;
  data?: string;
  imageRoot?: string;
  strict?: boolean;
  excludeUnparseable?: boolean;
};

/**
 * The one-line headline: the score as the official script rounds it, over which denominator, and
 * every count that could make it mislead (failures by kind, unparseable judge replies, skipped rows).
 */
export function headline(o: BenchmarkOutcome): string {
  const r = o.run.result;
  const t = tallyItems(o.run.items);
  const score = Number.isNaN(r.score) ? '—' : `${displayScore(r.benchmark, r.score, r.scale)}${r.scale === 'fraction' ? '%' : ''}`;
  const kinds = Object.entries(t.failedBy).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  const notes = [
    ...(kinds.length > 0 ? [`failed: ${kinds.join(', ')}`] : []),
    ...(t.unparseable > 0 ? [`${t.unparseable} unparseable`] : []),
    ...(o.skippedRows ? [`${o.skippedRows} invalid rows skipped`] : []),
  ];
  return `${r.benchmark}: ${score} (${t.scored} scored, ${t.failed} failed of ${t.items}${notes.length ? `; ${notes.join('; ')}` : ''})`;
}

/** `--strict`: throws IncompleteEvalError unless every item was scored from a parsed reply. */
export function requireComplete(run: EvalRun): void {
  if (isCompleteRun(run)) return;
  const t = tallyItems(run.items);
  const kinds = Object.entries(t.failedBy).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  throw new IncompleteEvalError(run.result.benchmark, t.items, t.failed, t.unparseable, kinds.length ? kinds.join(', ') : 'no failed calls');
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
        .option('iteration', { type: 'number', default: 0, describe: 'Run mode: the iteration whose model to evaluate (0 = base).', group: 'Eval:' })
        .option('strict', {
          type: 'boolean',
          describe: `Exit non-zero (code ${EXIT.incomplete}) when any item failed (no answer, judge call failed) or a judge reply never parsed; the table and JSON are still written.`,
          group: 'Eval:',
        })
        .option('exclude-unparseable', {
          type: 'boolean',
          describe: 'MM-Vet, LLaVA-Bench: an item whose judge reply never parsed fails (left out of every score) instead of the official 0.0 / [-1, -1].',
          group: 'Eval:',
        }) as never,
    handler: async (argv) => {
      if (argv.benchmark) return evalStandalone(argv as EvalArgs & { benchmark: BenchmarkName }, deps);
      const run = openRun(argv, deps, { mustExist: true });
      const { generatorFor, dispose } = generatorFactory(run.config, run.paths, deps.env, run.io);
      try {
        const judge = makeJudge(run.config, run.store, deps.env);
        const data = await prepareData(run.config, run.paths, run.io);
        await evaluateModel({ ...run, data, iteration: argv.iteration, generatorFor, ...(judge ? { judge } : {}) });
        printSummary(deps, run.paths, await publishReport(run));
        if (argv.strict) requireCompleteIteration(run.config, run.paths, argv.iteration);
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
  const config = resolveConfig({ flags, ...(argv.config ? { file: argv.config } : {}) });
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
      spec: {
        benchmark: argv.benchmark,
        data: argv.data,
        maxNewTokens: config.evalMaxNewTokens,
        ...(argv.imageRoot ? { imageRoot: argv.imageRoot } : {}),
        ...(argv.limit ? { limit: argv.limit } : {}),
        ...(argv.excludeUnparseable ? { unparseable: 'exclude' as const } : {}),
      },
      generator,
      ...(judge ? { judge } : {}),
      outDir,
      batchSize: config.generationBatch,
      io,
    });
    deps.stdout.write(`${formatTable(out.run)}\n${headline(out)}\nwrote ${out.files.jsonl} and ${out.files.json}\n`);
    if (argv.strict) requireComplete(out.run);
  } finally {
    await generator.close();
    dispose();
    store.close();
  }
}

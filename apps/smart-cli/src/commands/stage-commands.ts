import type { CommandModule } from 'yargs';
import { prepareData } from '../stages/prepare-data';
import { filterCandidates } from '../stages/filter-candidates';
import { generateIteration } from '../stages/run-loop';
import { publishReport, publishSummary } from '../stages/publish-results';
import { trainIteration } from '../stages/train-iteration';
import type { CliDeps } from './cli-deps';
import { withConfigFlags, type CommonArgs } from './config-flags';
import { openRun } from './open-run';
import { printSummary } from './print-summary';
import { generatorFactory } from './wiring';
import { trainingPromptOf } from '../stages/training-prompt';

type IterArgs = CommonArgs & { iteration: number };

const iterationOption = { type: 'number', default: 1, describe: 'Iteration to work on (1 = the first after the base model).', group: 'Run:' } as const;

/** `smart generate`: draw and generate one iteration's rationales (and filter them) on a run folder. */
export function generateCommand(deps: CliDeps): CommandModule<object, IterArgs> {
  return {
    command: 'generate',
    describe: 'Draw one iteration\'s questions and generate its positive and negative rationales with the previous iteration\'s model, then filter them into pairs (resumable).',
    builder: (y) => withConfigFlags(y).option('iteration', iterationOption) as never,
    handler: async (argv) => {
      const run = openRun(argv, deps);
      const { generatorFor, dispose } = generatorFactory(run.config, run.paths, deps.env, run.io);
      try {
        const data = await prepareData(run.config, run.paths, run.io);
        await generateIteration({ ...run, data, iteration: argv.iteration, generatorFor });
        const f = run.store.funnel(argv.iteration);
        deps.stdout.write(`iteration ${argv.iteration}: ${f.samples} samples, ${f.withBoth} with both rationales, ${f.kept} pairs kept, ${f.dropped} dropped ${JSON.stringify(f.dropReasons)}\n`);
      } finally {
        await dispose();
        run.close();
      }
    },
  };
}

/** `smart filter`: (re)judge candidates without a verdict. */
export function filterCommand(deps: CliDeps): CommandModule<object, IterArgs> {
  return {
    command: 'filter',
    describe: 'Run the pair filters (profile from the config) over candidates of an iteration that have no verdict yet.',
    builder: (y) => withConfigFlags(y).option('iteration', iterationOption) as never,
    handler: (argv) => {
      const run = openRun(argv, deps, { mustExist: true });
      try {
        const out = filterCandidates({ store: run.store, iteration: argv.iteration, profile: run.config.filterProfile, promptOf: trainingPromptOf(run.config.source), io: run.io });
        publishSummary(run);
        const f = run.store.funnel(argv.iteration);
        deps.stdout.write(`iteration ${argv.iteration}: judged ${out.judged} now; ${f.kept} pairs kept, ${f.dropped} dropped ${JSON.stringify(f.dropReasons)}\n`);
      } finally {
        run.close();
      }
    },
  };
}

/** `smart train`: optimize one iteration on its pairs. */
export function trainCommand(deps: CliDeps): CommandModule<object, IterArgs> {
  return {
    command: 'train',
    describe: 'Train one iteration on its kept pairs: --trainer external writes a LLaMA-Factory dataset + recipe, runs --train-command and imports the checkpoint; --trainer local uses @smart/dpo-trainer.',
    builder: (y) => withConfigFlags(y).option('iteration', iterationOption) as never,
    handler: async (argv) => {
      const run = openRun(argv, deps, { mustExist: true });
      try {
        await trainIteration({ ...run, iteration: argv.iteration });
        publishSummary(run);
        deps.stdout.write(`iteration ${argv.iteration}: model at ${run.paths.model(argv.iteration)}\n`);
      } finally {
        run.close();
      }
    },
  };
}

/** `smart report`: rewrite summary.json and report.html. */
export function reportCommand(deps: CliDeps): CommandModule<object, CommonArgs> {
  return {
    command: 'report',
    describe: 'Rewrite summary.json and report.html (one offline HTML file: funnel, training curves, scores, example pairs) from the run folder.',
    builder: (y) => withConfigFlags(y),
    handler: async (argv) => {
      const run = openRun(argv, deps, { mustExist: true });
      try {
        printSummary(deps, run.paths, await publishReport(run));
      } finally {
        run.close();
      }
    },
  };
}

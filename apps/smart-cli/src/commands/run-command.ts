import type { CommandModule } from 'yargs';
import { makeJudge } from '../backends/make-judge';
import { runLoop } from '../stages/run-loop';
import type { CliDeps } from './cli-deps';
import { withConfigFlags, type CommonArgs } from './config-flags';
import { openRun } from './open-run';
import { printSummary } from './print-summary';
import { generatorFactory } from './wiring';

/** `smart run`: the whole cycle on one run folder, resumable. */
export function runCommand(deps: CliDeps): CommandModule<object, CommonArgs> {
  return {
    command: 'run',
    describe: 'Run SMART end to end: draw → generate → filter → train → evaluate per iteration, then report. Re-run the same command to resume.',
    builder: (y) => withConfigFlags(y),
    handler: async (argv) => {
      const run = openRun(argv, deps);
      const { generatorFor, dispose } = generatorFactory(run.config, run.paths, deps.env, run.io);
      try {
        const judge = makeJudge(run.config, run.store, deps.env);
        const summary = await runLoop({ ...run, generatorFor, ...(judge ? { judge } : {}) });
        printSummary(deps, run.paths, summary);
      } finally {
        await dispose();
        run.close();
      }
    },
  };
}

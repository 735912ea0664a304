import type { CommandModule } from 'yargs';
import { StageUnavailableError } from '../errors/errors';
import type { CliDeps } from './cli-deps';
import { withConfigFlags, type CommonArgs } from './config-flags';
import { openRun } from './open-run';

/** The paper's Table 2 rows (method.md §6). */
export const ABLATION_ROWS = [
  'sft-answer',
  'sft-naive',
  'sft-aot',
  'dpo-answer',
  'dpo-naive-naive',
  'dpo-naive-aot',
  'dpo-aot-naive',
  'dpo-aot-aot',
  'iterations',
] as const;

type AblateArgs = CommonArgs & { rows?: string[]; seeds: number };

/** `smart ablate`: the paper's ablation table on the embedded default or a config. */
export function ablateCommand(deps: CliDeps): CommandModule<object, AblateArgs> {
  return {
    command: 'ablate',
    describe:
      "Run the paper's Table 2 rows (SFT on A / R_naive / R_AoT; DPO on (A, A'), (R_naive, R'_naive), (R_naive, R'_AoT), (R_AoT, R'_naive), (R_AoT, R'_AoT); iterations 1-3) with the same sample budget per row and write one results table (mean ± standard error over --seeds).",
    builder: (y) =>
      withConfigFlags(y)
        .option('rows', { type: 'array', string: true, choices: [...ABLATION_ROWS], describe: 'Rows to run (default: all).', group: 'Ablate:' })
        .option('seeds', { type: 'number', default: 2, describe: 'Seeds per row (mean and standard error are reported).', group: 'Ablate:' }) as never,
    handler: (argv) => {
      const run = openRun(argv, deps);
      run.close();
      throw new StageUnavailableError(
        'ablate',
        'the ablation rows (SFT on A / R_naive / R_AoT and the DPO pair variants) are not implemented in this version; `smart run` gives the (R_AoT, R\'_AoT) row and its iterations',
      );
    },
  };
}

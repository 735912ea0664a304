import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { meanAndSe, writeFileAtomicSync } from '@smart/core';
import type { CommandModule } from 'yargs';
import { runPaths } from '../run-folder/run-paths';
import { buildBase, baseDoneFile } from '../stages/build-base';
import { ABLATION_ROWS, runAblationRow, type AblationRowId } from '../stages/ablation-rows';
import { prepareData } from '../stages/prepare-data';
import { runLoop } from '../stages/run-loop';
import type { CliDeps } from './cli-deps';
import { resolveConfig } from '../config/load-config';
import { isEmbeddedDefault } from '../config/run-config';
import { configFlags, withConfigFlags, type CommonArgs } from './config-flags';
import { openRun } from './open-run';
import { generatorFactory } from './wiring';

type AblateArgs = CommonArgs & { rows?: string[]; seeds: number };

/** Accuracies of one row over seeds (null where a seed's row has no score). */
export interface AblationResult {
  row: string;
  label: string;
  accuracies: (number | null)[];
}

/** The results as a markdown table: held-out accuracy in percent, mean ± SE over seeds, and each seed. */
export function ablationTable(results: readonly AblationResult[]): string {
  const pct = (v: number) => (v * 100).toFixed(1);
  const lines = ['| row | held-out accuracy (%) mean ± SE | seeds |', '|---|---|---|'];
  for (const r of results) {
    const got = r.accuracies.filter((a): a is number => a !== null);
    const { mean, se } = meanAndSe(got);
    const cell = mean === null ? '—' : se === null ? pct(mean) : `${pct(mean)} ± ${pct(se)}`;
    lines.push(`| ${r.label} | ${cell} | ${r.accuracies.map((a) => (a === null ? '—' : pct(a))).join(', ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `smart ablate`: per seed, a run folder `<name>-ablate-s<i>` that shares the run's task and base (built
 * by `smart run`, or here), runs SMART for 3 iterations (rows 8–10), and trains every other row from the
 * base on iteration 1's samples (same sample budget); prints and writes `<name>-ablate.md`.
 */
export function ablateCommand(deps: CliDeps): CommandModule<object, AblateArgs> {
  return {
    command: 'ablate',
    describe:
      "Run the paper's Table 2 rows (SFT on A / R_naive / R_AoT; DPO on (A, A'), (R_naive, R'_naive), (R_naive, R'_AoT), (R_AoT, R'_naive), (R_AoT, R'_AoT); iterations 1-3) with the same sample budget per row and write one results table (mean ± standard error over --seeds).",
    builder: (y) =>
      withConfigFlags(y)
        .option('rows', { type: 'array', string: true, choices: ABLATION_ROWS.map((r) => r.id), describe: 'Rows to run (default: all).', group: 'Ablate:' })
        .option('seeds', { type: 'number', default: 2, describe: 'Seeds per row (mean and standard error are reported).', group: 'Ablate:' }) as never,
    handler: async (argv) => {
      const wanted = new Set<AblationRowId>((argv.rows as AblationRowId[] | undefined) ?? ABLATION_ROWS.map((r) => r.id));
      // The base run: its task and (embedded default) base model are shared by every seed. A base that
      // `smart run` already built is used as it is (whatever that run's iteration settings were).
      const config = resolveConfig({ ...(argv.config ? { file: argv.config } : {}), flags: configFlags(argv) });
      const name = config.name;
      const base = { config, paths: runPaths(config.runsDir, name) };
      const embedded = isEmbeddedDefault(config);
      if (!existsSync(base.paths.data) || (embedded && !existsSync(baseDoneFile(base.paths)))) {
        const opened = openRun(argv, deps);
        try {
          const data = await prepareData(opened.config, opened.paths, opened.io);
          if (embedded) await buildBase({ ...opened, data });
        } finally {
          opened.close();
        }
      }
      const results = new Map<string, (number | null)[]>([['base', []], ['control', []], ...ABLATION_ROWS.map((r): [string, (number | null)[]] => [r.id, []])]);
      for (let i = 0; i < argv.seeds; i++) {
        const seedName = `${name}-ablate-s${i}`;
        const seedPaths = runPaths(base.config.runsDir, seedName);
        mkdirSync(seedPaths.root, { recursive: true });
        if (!existsSync(seedPaths.data)) cpSync(base.paths.data, seedPaths.data, { recursive: true });
        if (existsSync(baseDoneFile(base.paths)) && !existsSync(baseDoneFile(seedPaths))) {
          const evalDir = base.paths.evalDir(0);
          cpSync(base.paths.iter(0), seedPaths.iter(0), { recursive: true, filter: (src) => src !== evalDir && !src.startsWith(evalDir + sep) });
        }
        const run = openRun({ ...argv, name: seedName, seed: base.config.seed + i, maxIterations: 3, minImprovement: 0 }, deps);
        const { generatorFor, dispose } = generatorFactory(run.config, run.paths, deps.env, run.io);
        try {
          const summary = await runLoop({ ...run, generatorFor });
          results.get('base')!.push(summary.base.heldOut?.accuracy ?? null);
          results.get('control')!.push(summary.control?.heldOut?.accuracy ?? null);
          for (const k of [1, 2, 3] as const) results.get(`iteration-${k}`)!.push(summary.iterations.find((it) => it.iteration === k)?.heldOut?.accuracy ?? null);
          const data = await prepareData(run.config, run.paths, run.io);
          for (const row of ABLATION_ROWS) {
            if (row.id.startsWith('iteration-') || !wanted.has(row.id)) continue;
            const r = await runAblationRow({ ...run, data, generatorFor }, row.id as Exclude<AblationRowId, `iteration-${number}`>);
            results.get(row.id)!.push(r.accuracy);
            run.io.log(`ablate seed ${i} ${row.label}: ${r.accuracy === null ? '—' : (r.accuracy * 100).toFixed(1)}% (n ${r.n}, ${r.rows} training rows)`);
          }
        } finally {
          await dispose();
          run.close();
        }
      }
      const table = ablationTable([
        { row: 'base', label: 'base (embedded default)', accuracies: results.get('base')! },
        ...ABLATION_ROWS.filter((r) => wanted.has(r.id)).map((r) => ({ row: r.id, label: r.label, accuracies: results.get(r.id)! })),
        ...(base.config.control && !base.config.model ? [{ row: 'control', label: "control: base + SFT on the same samples for SMART's wall time", accuracies: results.get('control')! }] : []),
      ]);
      const file = join(base.paths.root, '..', `${name}-ablate.md`);
      writeFileAtomicSync(file, `# smart ablate (${argv.seeds} seeds)\n\n${table}`);
      deps.stdout.write(table);
      deps.stdout.write(`written to ${file}\n`);
    },
  };
}

import { resolve } from 'node:path';
import { exportLlamaFactory, exportParquet, exportTrl } from '@smart/preference-store';
import type { CommandModule } from 'yargs';
import { importCheckpoint } from '../stages/import-checkpoint';
import { publishSummary } from '../stages/publish-results';
import type { CliDeps } from './cli-deps';
import { withConfigFlags, type CommonArgs } from './config-flags';
import { openRun } from './open-run';

type ExportArgs = CommonArgs & { format: 'trl' | 'llama-factory' | 'parquet'; out?: string; iteration?: number; datasetName: string };

/** `smart export`: kept pairs for an external trainer. */
export function exportCommand(deps: CliDeps): CommandModule<object, ExportArgs> {
  return {
    command: 'export',
    describe: 'Export kept pairs (all iterations, or --iteration) as TRL JSONL, a LLaMA-Factory dataset (+ dataset_info.json) or Parquet, with their images.',
    builder: (y) =>
      withConfigFlags(y)
        .option('format', { type: 'string', choices: ['trl', 'llama-factory', 'parquet'], demandOption: true, describe: 'Dataset format.', group: 'Export:' })
        .option('out', { type: 'string', describe: 'Output folder (default <run>/export/<format>).', group: 'Export:' })
        .option('iteration', { type: 'number', describe: 'Only this iteration\'s pairs.', group: 'Export:' })
        .option('dataset-name', { type: 'string', default: 'smart_dpo', describe: 'LLaMA-Factory dataset name (its dataset_info.json key).', group: 'Export:' }) as never,
    handler: async (argv) => {
      const run = openRun(argv, deps, { mustExist: true });
      try {
        const dir = resolve(argv.out ?? `${run.paths.root}/export/${argv.format}`);
        const options = { dir, ...(argv.iteration !== undefined ? { iteration: argv.iteration } : {}) };
        const summary =
          argv.format === 'trl' ? await exportTrl(run.store, options) : argv.format === 'parquet' ? await exportParquet(run.store, options) : await exportLlamaFactory(run.store, { ...options, datasetName: argv.datasetName });
        deps.stdout.write(`exported ${summary.pairs} pairs to ${summary.file} (${summary.imagesWritten} images written)\n`);
      } finally {
        run.close();
      }
    },
  };
}

type ImportArgs = CommonArgs & { folder: string; iteration: number };

/** `smart import-checkpoint`: bring an externally trained checkpoint into the run. */
export function importCheckpointCommand(deps: CliDeps): CommandModule<object, ImportArgs> {
  return {
    command: 'import-checkpoint <folder>',
    describe: 'Import an HF checkpoint folder (LLaVA or Qwen2-VL) (e.g. written by an external trainer) as iteration --iteration\'s model: copied to iter-k/checkpoint and exported to the transformers.js folder iter-k/model.',
    builder: (y) =>
      withConfigFlags(y)
        .positional('folder', { type: 'string', describe: 'HF checkpoint folder (config.json, safetensors, tokenizer files).', demandOption: true })
        .option('iteration', { type: 'number', demandOption: true, describe: 'Iteration the checkpoint is the result of (0 = the base model).', group: 'Import:' }) as never,
    handler: async (argv) => {
      const run = openRun(argv, deps);
      try {
        const out = await importCheckpoint({ from: argv.folder, checkpointDir: run.paths.checkpoint(argv.iteration), modelDir: run.paths.model(argv.iteration) });
        publishSummary(run);
        deps.stdout.write(out.imported ? `imported ${resolve(argv.folder)} as iteration ${argv.iteration}: ${out.modelDir}\n` : `iteration ${argv.iteration} already has a model (${out.modelDir}); nothing to do\n`);
      } finally {
        run.close();
      }
    },
  };
}

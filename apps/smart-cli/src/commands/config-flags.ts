import type { Argv } from 'yargs';
import { fieldsOf, yargsOptions } from '../config/zod-options';
import { EMBEDDED_DEFAULTS, runConfigSchema } from '../config/run-config';

/** Flags every command shares. */
export interface CommonArgs {
  config?: string;
  verbose?: boolean;
  forceNew?: boolean;
  [key: string]: unknown;
}

const CONFIG_FIELDS = fieldsOf(runConfigSchema);

/** Adds `--config`, `--verbose`, `--force-new` and one flag per config field (with its help) to a command. */
export function withConfigFlags<T>(y: Argv<T>): Argv<T & CommonArgs> {
  return y
    .option('config', { type: 'string', describe: 'Run config file (JSON or YAML); flags override its fields.', group: 'Run:' })
    .option('force-new', { type: 'boolean', describe: 'If the run folder was started with another config, move it aside (<name>.old-<time>) and start over.', group: 'Run:' })
    .options(yargsOptions(CONFIG_FIELDS, 'Config fields (also valid in --config files, camelCase):', { label: 'embedded default', values: EMBEDDED_DEFAULTS })) as unknown as Argv<T & CommonArgs>;
}

/** The config fields the user typed as flags, by config key. */
export function configFlags(argv: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of CONFIG_FIELDS) if (argv[f.key] !== undefined) out[f.key] = argv[f.key];
  return out;
}

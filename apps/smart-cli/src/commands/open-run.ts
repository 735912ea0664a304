import { openStore, type PreferenceStore } from '@smart/preference-store';
import { readConfigFile, resolveConfig } from '../config/load-config';
import type { RunConfig } from '../config/run-config';
import { MissingInputError } from '../errors/errors';
import { Interrupt } from '../progress/interrupt';
import { openRunFolder, readRunConfig } from '../run-folder/open-run-folder';
import { runPaths, type RunPaths } from '../run-folder/run-paths';
import type { StageIo } from '../stages/stage-context';
import type { CliDeps } from './cli-deps';
import { configFlags, type CommonArgs } from './config-flags';

/** An open run: its config, folder, store and I/O. */
export interface OpenRun {
  config: RunConfig;
  paths: RunPaths;
  store: PreferenceStore;
  io: StageIo;
  close(): void;
}

/** Stage I/O on the CLI's streams: logs and progress on stderr, a SIGINT handler when signals are given. */
export function stageIo(deps: CliDeps): { io: StageIo; dispose: () => void } {
  const interrupt = new Interrupt();
  const say = (line: string) => void deps.stderr.write(`${line}\n`);
  const dispose = deps.signals ? interrupt.install(deps.signals, say) : () => undefined;
  return { io: { log: say, progress: deps.stderr, interrupt }, dispose };
}

/**
 * Resolves the config (defaults ← the run folder's config ← --config file ← flags) and opens the run
 * folder and its store. `mustExist` is for stage commands on a run that `smart run` or `smart generate` started.
 */
export function openRun(argv: CommonArgs, deps: CliDeps, options: { mustExist?: boolean } = {}): OpenRun {
  const flags = configFlags(argv);
  const fromFile = argv.config ? readConfigFile(argv.config) : {};
  const name = (flags['name'] ?? fromFile['name'] ?? 'default') as string;
  const runsDir = (flags['runsDir'] ?? fromFile['runsDir'] ?? 'runs') as string;
  const existing = argv.forceNew ? undefined : readRunConfig(runPaths(runsDir, name));
  if (options.mustExist && !existing && !argv.forceNew) throw new MissingInputError(runPaths(runsDir, name).config, `run folder "${name}" (start it with \`smart run\` or \`smart generate\`)`);
  const config = resolveConfig({ ...(existing ? { base: existing as unknown as Record<string, unknown> } : {}), ...(argv.config ? { file: argv.config } : {}), flags });
  const paths = openRunFolder(config, { forceNew: argv.forceNew ?? false });
  const store = openStore(paths.store);
  const { io, dispose } = stageIo(deps);
  return {
    config,
    paths,
    store,
    io,
    close: () => {
      dispose();
      store.close();
    },
  };
}

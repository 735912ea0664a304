import yargs, { type Argv } from 'yargs';
import { UsageError } from './errors/errors';
import { reportError, EXIT } from './errors/error-table';
import { InterruptedError } from './errors/errors';
import type { CliDeps } from './commands/cli-deps';
import { ablateCommand } from './commands/ablate-command';
import { exportCommand, importCheckpointCommand } from './commands/data-commands';
import { evalCommand } from './commands/eval-command';
import { runCommand } from './commands/run-command';
import { serveCommand } from './commands/serve-command';
import { filterCommand, generateCommand, reportCommand, trainCommand } from './commands/stage-commands';

/** Resolves when the process gets SIGINT/SIGTERM (what `smart serve` waits for). */
function untilSignal(deps: CliDeps): Promise<void> {
  return new Promise((resolve) => {
    if (!deps.signals) return;
    const done = (): void => {
      deps.signals!.off('SIGINT', done);
      deps.signals!.off('SIGTERM', done);
      resolve();
    };
    deps.signals.on('SIGINT', done);
    deps.signals.on('SIGTERM', done);
  });
}

/** The yargs parser with every command (a fresh one per call: yargs instances keep state). */
export function buildParser(deps: CliDeps): Argv {
  return yargs()
    .scriptName('smart')
    .usage('$0 <command> [options]\n\nSMART: self-alignment of multimodal LLMs with Answer-Oriented Chain-of-Thought.')
    .command(runCommand(deps))
    .command(generateCommand(deps))
    .command(filterCommand(deps))
    .command(trainCommand(deps))
    .command(evalCommand(deps))
    .command(exportCommand(deps))
    .command(importCheckpointCommand(deps))
    .command(reportCommand(deps))
    .command(ablateCommand(deps))
    .command(serveCommand(deps, () => untilSignal(deps)))
    .option('verbose', { type: 'boolean', describe: 'Show stack traces and debugging detail on errors.', global: true })
    .demandCommand(1, 'Name a command (smart --help lists them).')
    .strict()
    .recommendCommands()
    .wrap(Math.min(120, deps.stdout.columns ?? 100))
    .version(false)
    .help()
    .alias('help', 'h')
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
}

function isHelpRequest(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

/** Runs the command line; returns the exit code (never calls process.exit). */
export async function runCli(args: readonly string[], deps: CliDeps): Promise<number> {
  const verbose = args.includes('--verbose');
  try {
    const parser = buildParser(deps);
    if (isHelpRequest(args)) {
      // Help never runs a handler; the callback form hands the text back instead of printing it.
      const text = await new Promise<string>((resolve, reject) => {
        parser.parse([...args], {}, (err, _argv, output) => (err ? reject(err) : resolve(output)));
      });
      deps.stdout.write(`${text}\n`);
      return EXIT.ok;
    }
    await parser.parseAsync([...args]);
    return EXIT.ok;
  } catch (err) {
    const report = reportError(err, verbose);
    deps.stderr.write(`${report.text}\n`);
    if (err instanceof InterruptedError) deps.stderr.write(`Resume with the same command: smart ${args.join(' ')}\n`);
    return report.exitCode;
  }
}

/** Base class of every error the `smart` command itself throws. */
export class CliError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A config file or flag value is invalid; `field` names the offending field when there is one. */
export class ConfigError extends CliError {
  constructor(
    readonly reason: string,
    readonly field?: string,
    readonly file?: string,
  ) {
    super(`${file ? `${file}: ` : ''}${field ? `${field}: ` : ''}${reason}`);
  }
}

/** The command line itself is wrong (unknown flag or command, missing argument). */
export class UsageError extends CliError {}

/** The run folder was started with a different config than the one given now. */
export class RunConfigMismatchError extends CliError {
  constructor(
    readonly runDir: string,
    readonly differences: { field: string; before: unknown; now: unknown }[],
  ) {
    const lines = differences.map((d) => `  ${d.field}: ${JSON.stringify(d.before)} (folder) vs ${JSON.stringify(d.now)} (now)`);
    super(
      `${runDir} was started with a different config:\n${lines.join('\n')}\n` +
        `Re-run with the folder's config, pick another --name, or pass --force-new to move the old folder aside and start over.`,
    );
  }
}

/** A file or folder the command needs does not exist or is not what it should be. */
export class MissingInputError extends CliError {
  constructor(
    readonly path: string,
    readonly what: string,
  ) {
    super(`${what} not found: ${path}`);
  }
}

/** A stage that cannot run in this build or configuration (e.g. local training without a trainer). */
export class StageUnavailableError extends CliError {
  constructor(
    readonly stage: string,
    readonly reason: string,
  ) {
    super(`stage "${stage}" is unavailable: ${reason}`);
  }
}

/** The user pressed Ctrl-C; the stage stopped at a safe point. */
export class InterruptedError extends CliError {
  constructor(readonly stage: string) {
    super(`stopped at a safe point during ${stage}`);
  }
}

/** An external command (trainer, server) failed. */
export class ExternalCommandError extends CliError {
  constructor(
    readonly command: string,
    readonly reason: string,
  ) {
    super(`external command failed (${reason}): ${command}`);
  }
}

/** A stage ran but could not produce what the next one needs (no pairs survived, every request failed). */
export class StageFailedError extends CliError {
  constructor(
    readonly stage: string,
    readonly reason: string,
  ) {
    super(`${stage}: ${reason}`);
  }
}

/** `--strict`: an evaluation left items unscored (failed) or scored through an unparseable-reply fallback. */
export class IncompleteEvalError extends CliError {
  constructor(
    readonly benchmark: string,
    readonly items: number,
    readonly failed: number,
    readonly unparseable: number,
    readonly detail: string,
  ) {
    super(
      `${benchmark}: ${failed} of ${items} items failed${unparseable > 0 ? ` and ${unparseable} judge replies were unparseable` : ''} (${detail}); ` +
        '--strict needs every item scored from a parsed reply. Re-run the same command to retry the failures (answers and judge grades already made are kept).',
    );
  }
}

/** The image normalization of a model folder cannot be determined (negatives would be noised on a guessed scale). */
export class ModelNormalizationError extends CliError {
  constructor(
    readonly folder: string,
    readonly reason: string,
  ) {
    super(`cannot tell the image normalization of model folder ${folder}: ${reason}`);
  }
}

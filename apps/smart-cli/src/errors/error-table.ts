import { AotPromptsError } from '@smart/aot-prompts';
import { AugmentConfigError, AugmentError, ImageDecodeError, ImageEncodeError } from '@smart/augment';
import { AtomicWriteError, CoreError, ImageTooLargeError, RecordFileError } from '@smart/core';
import { DatasetRowError, DatasetsError, DrawExhaustedError, SourceReadError, SyntheticConfigError, SyntheticExhaustedError } from '@smart/datasets';
import {
  DpoTrainerError,
  ExecutionProviderUnavailableError,
  ImageTokensTruncatedError,
  ModelFolderError,
  ResumeStateError,
  TrainerConfigError,
} from '@smart/dpo-trainer';
import { BenchmarkFileError, BenchmarkRecordError, EvaluatorsError, JudgeError, JudgeParseError, SandboxError } from '@smart/evaluators';
import { FilterConfigError, FiltersError } from '@smart/filters';
import { DeviceUnavailableError, HttpGenerationError, MllmError, ModelLoadError, ResponseValidationError, UnsupportedRequestError } from '@smart/mllm';
import { ConfigError as ModelConfigError, DuplicateTensorError, MissingTensorError, ModelsError, TensorShapeError, UnsupportedModelTypeError } from '@smart/models';
import { IterationOverlapError, PreferenceStoreError, SchemaTooNewError, StoreCorruptError, StoreFileError, StoreLockedError } from '@smart/preference-store';
import {
  CliError,
  ConfigError,
  ExternalCommandError,
  IncompleteEvalError,
  InterruptedError,
  ModelNormalizationError,
  MissingInputError,
  RunConfigMismatchError,
  StageFailedError,
  StageUnavailableError,
  UsageError,
} from './errors';

/** Exit codes of the `smart` command. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  input: 3,
  backend: 4,
  store: 5,
  external: 6,
  unavailable: 7,
  /** `smart eval --strict` found failed or unparseable items. */
  incomplete: 8,
  interrupted: 130,
} as const;

/** How one error class is reported. */
export interface ErrorRow {
  type: abstract new (...args: never[]) => Error;
  exitCode: number;
  /** A user mistake or an environment problem (no stack trace unless --verbose), or a bug. */
  kind: 'user' | 'internal';
  /** Short prefix naming the area, e.g. "config". */
  label: string;
  /** Extra hint printed under the message. */
  hint?: string;
}

/**
 * Every package's typed errors, most specific first: the first row whose class matches reports the
 * error. A class not listed falls back to its package's base class row, then to "internal error".
 */
export const ERROR_TABLE: readonly ErrorRow[] = [
  // the CLI's own
  { type: UsageError, exitCode: EXIT.usage, kind: 'user', label: 'usage', hint: 'See `smart --help` and `smart <command> --help`.' },
  { type: RunConfigMismatchError, exitCode: EXIT.usage, kind: 'user', label: 'run folder' },
  { type: ConfigError, exitCode: EXIT.usage, kind: 'user', label: 'config', hint: 'See `smart <command> --help` for every field.' },
  { type: MissingInputError, exitCode: EXIT.input, kind: 'user', label: 'missing input' },
  { type: InterruptedError, exitCode: EXIT.interrupted, kind: 'user', label: 'interrupted' },
  { type: StageUnavailableError, exitCode: EXIT.unavailable, kind: 'user', label: 'unavailable' },
  { type: ExternalCommandError, exitCode: EXIT.external, kind: 'user', label: 'external command' },
  { type: StageFailedError, exitCode: EXIT.input, kind: 'user', label: 'stage failed' },
  {
    type: ModelNormalizationError,
    exitCode: EXIT.input,
    kind: 'user',
    label: 'model',
    hint: 'Copy the model\'s preprocessor_config.json (with image_mean, image_std) into the folder.',
  },
  { type: IncompleteEvalError, exitCode: EXIT.incomplete, kind: 'user', label: 'incomplete evaluation' },
  { type: CliError, exitCode: EXIT.internal, kind: 'internal', label: 'error' },
  // datasets
  { type: DrawExhaustedError, exitCode: EXIT.input, kind: 'user', label: 'data', hint: 'Lower --samples-per-iteration or --max-iterations, or add questions.' },
  { type: SourceReadError, exitCode: EXIT.input, kind: 'user', label: 'data' },
  { type: DatasetRowError, exitCode: EXIT.input, kind: 'user', label: 'data' },
  { type: SyntheticConfigError, exitCode: EXIT.usage, kind: 'user', label: 'config' },
  { type: SyntheticExhaustedError, exitCode: EXIT.usage, kind: 'user', label: 'config' },
  { type: DatasetsError, exitCode: EXIT.input, kind: 'user', label: 'data' },
  // evaluators
  { type: BenchmarkFileError, exitCode: EXIT.input, kind: 'user', label: 'benchmark data' },
  { type: BenchmarkRecordError, exitCode: EXIT.input, kind: 'user', label: 'benchmark data' },
  { type: JudgeError, exitCode: EXIT.backend, kind: 'user', label: 'judge' },
  { type: JudgeParseError, exitCode: EXIT.backend, kind: 'user', label: 'judge' },
  { type: SandboxError, exitCode: EXIT.backend, kind: 'user', label: 'sandbox', hint: 'MMCode needs python3 and a writable temp folder.' },
  { type: EvaluatorsError, exitCode: EXIT.internal, kind: 'internal', label: 'evaluators' },
  // mllm
  { type: ModelLoadError, exitCode: EXIT.backend, kind: 'user', label: 'model' },
  {
    type: UnsupportedRequestError,
    exitCode: EXIT.backend,
    kind: 'user',
    label: 'model',
    hint: 'The local backend reads one image per request. For prompts with several images (MMCode problems) use --backend openai --base-url URL with a server that takes several (vLLM, SGLang).',
  },
  { type: DeviceUnavailableError, exitCode: EXIT.backend, kind: 'user', label: 'device', hint: 'Use --device cpu.' },
  { type: HttpGenerationError, exitCode: EXIT.backend, kind: 'user', label: 'server', hint: 'Check --base-url, --model and the server log.' },
  { type: ResponseValidationError, exitCode: EXIT.backend, kind: 'user', label: 'server' },
  { type: MllmError, exitCode: EXIT.backend, kind: 'internal', label: 'generation' },
  // models
  { type: ModelConfigError, exitCode: EXIT.input, kind: 'user', label: 'model config' },
  { type: UnsupportedModelTypeError, exitCode: EXIT.input, kind: 'user', label: 'model' },
  { type: MissingTensorError, exitCode: EXIT.input, kind: 'user', label: 'checkpoint' },
  { type: TensorShapeError, exitCode: EXIT.input, kind: 'user', label: 'checkpoint' },
  { type: DuplicateTensorError, exitCode: EXIT.input, kind: 'user', label: 'checkpoint' },
  { type: ModelsError, exitCode: EXIT.internal, kind: 'internal', label: 'models' },
  // preference-store
  { type: StoreLockedError, exitCode: EXIT.store, kind: 'user', label: 'store', hint: 'Another `smart` process is using this run folder.' },
  { type: StoreCorruptError, exitCode: EXIT.store, kind: 'user', label: 'store' },
  { type: SchemaTooNewError, exitCode: EXIT.store, kind: 'user', label: 'store' },
  { type: StoreFileError, exitCode: EXIT.store, kind: 'user', label: 'store' },
  { type: IterationOverlapError, exitCode: EXIT.store, kind: 'internal', label: 'store' },
  { type: PreferenceStoreError, exitCode: EXIT.store, kind: 'internal', label: 'store' },
  // dpo-trainer
  { type: TrainerConfigError, exitCode: EXIT.usage, kind: 'user', label: 'trainer config' },
  { type: ImageTokensTruncatedError, exitCode: EXIT.usage, kind: 'user', label: 'trainer', hint: 'Raise --cutoff-len: a row would lose image tokens.' },
  { type: ExecutionProviderUnavailableError, exitCode: EXIT.backend, kind: 'user', label: 'device', hint: 'Use --device cpu.' },
  { type: ResumeStateError, exitCode: EXIT.store, kind: 'user', label: 'trainer state', hint: 'The iteration\'s trainer-state.safetensors belongs to another config or data; start a new run folder (--force-new).' },
  { type: ModelFolderError, exitCode: EXIT.input, kind: 'user', label: 'checkpoint' },
  { type: DpoTrainerError, exitCode: EXIT.internal, kind: 'internal', label: 'trainer' },
  // core
  { type: RecordFileError, exitCode: EXIT.input, kind: 'user', label: 'data' },
  { type: ImageTooLargeError, exitCode: EXIT.input, kind: 'user', label: 'image' },
  { type: AtomicWriteError, exitCode: EXIT.internal, kind: 'user', label: 'file system', hint: 'Check free disk space and permissions of the run folder.' },
  { type: CoreError, exitCode: EXIT.internal, kind: 'internal', label: 'core' },
  // augment, filters, aot-prompts
  { type: ImageDecodeError, exitCode: EXIT.input, kind: 'user', label: 'image' },
  { type: ImageEncodeError, exitCode: EXIT.internal, kind: 'internal', label: 'image' },
  { type: AugmentConfigError, exitCode: EXIT.usage, kind: 'user', label: 'config' },
  { type: AugmentError, exitCode: EXIT.internal, kind: 'internal', label: 'augment' },
  { type: FilterConfigError, exitCode: EXIT.usage, kind: 'user', label: 'config' },
  { type: FiltersError, exitCode: EXIT.internal, kind: 'internal', label: 'filters' },
  { type: AotPromptsError, exitCode: EXIT.input, kind: 'user', label: 'question' },
];

/** What the command prints and returns for an error. */
export interface ErrorReport {
  exitCode: number;
  /** Lines for stderr. */
  text: string;
}

/** Maps any thrown value to its message and exit code; stack traces only for bugs or with `verbose`. */
export function reportError(err: unknown, verbose: boolean, table: readonly ErrorRow[] = ERROR_TABLE): ErrorReport {
  const error = err instanceof Error ? err : new Error(String(err));
  const row = table.find((r) => error instanceof r.type);
  const lines: string[] = [];
  if (row) {
    lines.push(`smart: ${row.label}: ${error.message}`);
    if (row.hint) lines.push(row.hint);
  } else {
    lines.push(`smart: internal error: ${error.message}`);
  }
  const internal = !row || row.kind === 'internal';
  if (verbose || internal) {
    if (error.stack) lines.push(error.stack);
    if (error.cause instanceof Error && error.cause.stack) lines.push(`caused by: ${error.cause.stack}`);
  } else {
    lines.push('(run with --verbose for details)');
  }
  if (internal && !verbose) lines.push('This looks like a bug; please report it with the lines above.');
  return { exitCode: row?.exitCode ?? EXIT.internal, text: lines.join('\n') };
}

import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError, MissingInputError } from '../errors/errors';
import { resolveConfigFilePaths } from './config-paths';
import { EMBEDDED_DEFAULTS, isEmbeddedDefault, isEmbeddedDefaultInput, runConfigSchema, type RunConfig } from './run-config';

/** Reads a JSON or YAML config file (by extension; `.yml`/`.yaml` are YAML, anything else is tried as JSON then YAML). */
export function readConfigFile(file: string, read: (f: string) => string = (f) => readFileSync(f, 'utf8')): Record<string, unknown> {
  let text: string;
  try {
    text = read(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingInputError(file, 'config file');
    throw new ConfigError(`cannot read: ${(err as Error).message}`, undefined, file);
  }
  let value: unknown;
  const ext = extname(file).toLowerCase();
  try {
    value = ext === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`, undefined, file);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError('the top level must be an object of fields', undefined, file);
  return value as Record<string, unknown>;
}

/** Turns the first zod issue into a ConfigError naming the field (unknown fields by name). */
export function configIssue(error: z.ZodError, file?: string): ConfigError {
  const issue = error.issues[0]!;
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    const where = path ? `${path}.` : '';
    return new ConfigError(`unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${where}${k}"`).join(', ')}`, `${where}${keys[0]}`, file);
  }
  return new ConfigError(issue.message, path || undefined, file);
}

/** Config sources, lowest precedence first: schema defaults ← embedded-default settings (no --model) ← base (the run folder's config) ← file ← flags. */
export interface ConfigSources {
  base?: Record<string, unknown>;
  file?: string;
  /** Flag values by config key; undefined entries are ignored. */
  flags?: Record<string, unknown>;
  read?: (file: string) => string;
}

/** Resolves and validates a run config. */
export function resolveConfig(sources: ConfigSources): RunConfig {
  const raw = sources.file ? readConfigFile(sources.file, sources.read) : {};
  const fileCheck = runConfigSchema.partial().strict().safeParse(raw);
  if (!fileCheck.success) throw configIssue(fileCheck.error, sources.file);
  // Paths in the file are relative to the file; flags stay relative to the working directory.
  const backend = sources.flags?.['backend'] ?? raw['backend'] ?? sources.base?.['backend'];
  const fromFile = sources.file ? resolveConfigFilePaths(raw, sources.file, backend) : raw;
  const merged: Record<string, unknown> = { ...(sources.base ?? {}), ...fromFile };
  for (const [k, v] of Object.entries(sources.flags ?? {})) if (v !== undefined) merged[k] = v;
  const parsed = runConfigSchema.safeParse(isEmbeddedDefaultInput(merged) ? { ...EMBEDDED_DEFAULTS, ...merged } : merged);
  if (!parsed.success) throw configIssue(parsed.error);
  return checkConsistency(parsed.data);
}

/** Cross-field rules zod's per-field checks cannot express. */
function checkConsistency(c: RunConfig): RunConfig {
  if (c.source !== 'synthetic' && !c.data) throw new ConfigError(`source "${c.source}" needs --data (the training question file)`, 'data');
  if (c.syntheticMinObjects > c.syntheticMaxObjects)
    throw new ConfigError(`must be at least --synthetic-min-objects (${c.syntheticMinObjects}), got ${c.syntheticMaxObjects}`, 'syntheticMaxObjects');
  if (isEmbeddedDefault(c) && c.baseItems > 0 && c.baseItems + c.samplesPerIteration * c.maxIterations > c.syntheticTrain)
    throw new ConfigError(
      `the base's ${c.baseItems} items and ${c.maxIterations} iterations of ${c.samplesPerIteration} samples need a training pool of ${c.baseItems + c.samplesPerIteration * c.maxIterations}, but --synthetic-train is ${c.syntheticTrain}`,
      'baseItems',
    );
  if (c.backend === 'openai' && !c.baseUrl) throw new ConfigError('the openai backend needs --base-url', 'baseUrl');
  if (c.backend === 'openai' && !c.model) throw new ConfigError('the openai backend needs --model (the served model name)', 'model');
  if (c.trainer === 'external' && !c.trainCommand) throw new ConfigError('the external trainer needs --train-command', 'trainCommand');
  if (c.trainCommand && !c.trainCommand.includes('{recipe}')) throw new ConfigError('must contain {recipe} (the recipe file path)', 'trainCommand');
  if (c.trainer === 'external' && c.lossSpan !== 'completion')
    throw new ConfigError(`the external trainer's LLaMA-Factory recipe scores whole completions; "${c.lossSpan}" needs the local trainer`, 'lossSpan');
  if (c.trainer === 'external' && c.lossType === 'robust') throw new ConfigError('LLaMA-Factory has no "robust" preference loss; it needs the local trainer', 'lossType');
  if (c.judgeBaseUrl && !c.judgeModel) throw new ConfigError('a judge base URL needs --judge-model', 'judgeModel');
  return c;
}

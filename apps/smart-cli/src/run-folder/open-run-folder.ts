import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { ConfigError, RunConfigMismatchError } from '../errors/errors';
import { configIssue } from '../config/load-config';
import { OPERATIONAL_FIELDS, runConfigSchema, type RunConfig } from '../config/run-config';
import { runPaths, type RunPaths } from './run-paths';
import { readRegularTextSync, writeFileAtomicSync as writeFileAtomic } from '@smart/core';

/** Options of {@link openRunFolder}. */
export interface OpenRunFolderOptions {
  /** Move an existing folder with another config aside (`<name>.old-<time>`) and start over. */
  forceNew?: boolean;
  now?: () => Date;
}

/** Fields whose values differ between two configs, operational fields excepted. */
export function configDifferences(before: RunConfig, now: RunConfig): { field: string; before: unknown; now: unknown }[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(now)] as (keyof RunConfig)[]);
  const out: { field: string; before: unknown; now: unknown }[] = [];
  for (const k of keys) {
    if (OPERATIONAL_FIELDS.has(k)) continue;
    if (JSON.stringify(before[k]) !== JSON.stringify(now[k])) out.push({ field: k, before: before[k], now: now[k] });
  }
  return out;
}

/**
 * Creates or reopens a run folder: a new folder gets `config.json` (the resolved config, written
 * atomically); an existing one must have been started with the same config.
 */
export function openRunFolder(config: RunConfig, options: OpenRunFolderOptions = {}): RunPaths {
  const paths = runPaths(config.runsDir, config.name);
  if (existsSync(paths.config)) {
    const previous = parseRunConfig(paths.config);
    const diffs = configDifferences(previous, config);
    if (diffs.length > 0) {
      if (!options.forceNew) throw new RunConfigMismatchError(paths.root, diffs);
      const stamp = (options.now ?? (() => new Date()))().toISOString().replace(/[:.]/g, '-');
      renameSync(paths.root, `${paths.root}.old-${stamp}`);
    }
  }
  mkdirSync(paths.root, { recursive: true });
  writeFileAtomic(paths.config, JSON.stringify(config, null, 2) + '\n');
  return paths;
}

/** Reads the config a run folder was started with. */
export function readRunConfig(paths: RunPaths): RunConfig | undefined {
  if (!existsSync(paths.config)) return undefined;
  return parseRunConfig(paths.config);
}

/**
 * A run folder's config.json, validated: unreadable (a FIFO, not JSON) is a ConfigError naming the file; another
 * schema is one naming the file and the first offending field.
 */
function parseRunConfig(file: string): RunConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readRegularTextSync(file, { maxBytes: 16 * 2 ** 20 }));
  } catch (err) {
    throw new ConfigError(`the run folder's config is unreadable (${(err as Error).message.split('\n')[0]})`, undefined, file);
  }
  const parsed = runConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = configIssue(parsed.error, file);
  throw new ConfigError(`the run folder's config is invalid: ${issue.reason}`, issue.field, file);
}

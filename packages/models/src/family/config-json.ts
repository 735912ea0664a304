import { readRegularTextSync, RecordFileError } from '@smart/core';
import { join } from 'node:path';
import type { z } from 'zod';
import { ConfigError, UnsupportedModelTypeError } from '../errors';

/** Bound on a JSON config file read whole (real ones are a few KB). */
export const MAX_CONFIG_BYTES = 16 * 2 ** 20;

/** Reads `<folder>/config.json` as JSON; errors name the file (a FIFO, device or oversized file is refused unread). */
export function readConfigJson(folder: string): { json: unknown; file: string } {
  const file = join(folder, 'config.json');
  let text: string;
  try {
    text = readRegularTextSync(file, { maxBytes: MAX_CONFIG_BYTES });
  } catch (e) {
    throw new ConfigError(file, '', `cannot read: ${e instanceof RecordFileError ? e.reason : (e as Error).message}`);
  }
  try {
    return { json: JSON.parse(text), file };
  } catch (e) {
    throw new ConfigError(file, '', `not valid JSON: ${(e as Error).message}`);
  }
}

/** Throws unless `value` is one of the `supported` model types (missing → ConfigError, unknown → UnsupportedModelTypeError). */
export function checkModelType(file: string, field: string, value: unknown, supported: readonly string[]): void {
  if (typeof value !== 'string') throw new ConfigError(file, field, 'missing');
  if (!supported.includes(value)) throw new UnsupportedModelTypeError(file, field, value, supported);
}

/** The first zod issue as a ConfigError pointing into the JSON. */
export function zodToConfigError(file: string, error: z.ZodError): ConfigError {
  const issue = error.issues[0]!;
  return new ConfigError(file, issue.path.join('.'), issue.message);
}

import { readRegularTextSync } from '@smart/core';
import { ImportFileError } from './errors';

/**
 * A LLaMA-Factory `dataset_info.json` as a JSON object; anything else is an {@link ImportFileError}
 * (`purpose` says what the caller wanted, e.g. `cannot extend dataset_info.json`).
 */
export function readDatasetInfo(file: string, purpose: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readRegularTextSync(file, { maxBytes: 64 * 2 ** 20 }));
  } catch (err) {
    throw new ImportFileError(file, `${purpose}: ${(err as Error).message}`, { cause: err });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ImportFileError(file, `${purpose}: it is not a JSON object`);
  return value as Record<string, unknown>;
}

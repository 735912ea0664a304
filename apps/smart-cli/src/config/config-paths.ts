import { dirname, isAbsolute, resolve } from 'node:path';

/** Top-level config fields that name files or folders. */
const PATH_FIELDS = ['runsDir', 'data', 'imageRoot', 'heldOutData', 'checkpoint'] as const;
/** Fields of a `benchmarks` entry that name files or folders. */
const BENCHMARK_PATH_FIELDS = ['data', 'imageRoot'] as const;

const against = (dir: string, v: unknown): unknown => (typeof v === 'string' && v.length > 0 && !isAbsolute(v) ? resolve(dir, v) : v);

/**
 * A config file's fields with its relative paths resolved against the file's folder, so a config
 * means the same files from any working directory. `model` is a path only on the local backend
 * (`backend` is the one in effect after flags); on the openai backend it is the served name.
 */
export function resolveConfigFilePaths(fields: Record<string, unknown>, file: string, backend: unknown): Record<string, unknown> {
  const dir = dirname(resolve(file));
  const out: Record<string, unknown> = { ...fields };
  for (const key of PATH_FIELDS) if (key in out) out[key] = against(dir, out[key]);
  if ('model' in out && (backend ?? 'local') === 'local') out['model'] = against(dir, out['model']);
  if (Array.isArray(out['benchmarks'])) {
    out['benchmarks'] = out['benchmarks'].map((b: unknown) => {
      if (typeof b !== 'object' || b === null) return b;
      const entry: Record<string, unknown> = { ...(b as Record<string, unknown>) };
      for (const key of BENCHMARK_PATH_FIELDS) if (key in entry) entry[key] = against(dir, entry[key]);
      return entry;
    });
  }
  return out;
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { RunConfig } from '../../config/run-config';
import { IncompleteEvalError } from '../../errors/errors';
import type { RunPaths } from '../../run-folder/run-paths';
import { heldOutDir } from '../../run-folder/summary';

const countsSchema = z.object({
  benchmark: z.string(),
  counts: z.object({ items: z.number(), failed: z.number(), unparseable: z.number(), failedBy: z.record(z.string(), z.number()) }),
  complete: z.boolean(),
});

/** The results JSON files an iteration's evaluation wrote (held-out set, then every configured benchmark). */
function resultFiles(config: RunConfig, paths: RunPaths, k: number): string[] {
  return [join(heldOutDir(paths, k), 'synthetic.json'), ...config.benchmarks.map((b) => join(paths.evalDir(k), b.name, `${b.name}.json`))];
}

/** Run-mode `--strict`: throws IncompleteEvalError for the first result of iteration `k` with failed or unparseable items. */
export function requireCompleteIteration(config: RunConfig, paths: RunPaths, k: number): void {
  for (const file of resultFiles(config, paths, k)) {
    if (!existsSync(file)) continue;
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      value = undefined; // written atomically by the evaluation, so unreadable only if damaged
    }
    const parsed = countsSchema.safeParse(value);
    // An older results file without counts cannot show completeness: treat it as incomplete rather than pass it.
    if (!parsed.success) throw new IncompleteEvalError(file, 0, 0, 0, 'results file without item counts; re-run the evaluation');
    const { benchmark, counts, complete } = parsed.data;
    if (complete) continue;
    const kinds = Object.entries(counts.failedBy).filter(([, n]) => n > 0).map(([kind, n]) => `${n} ${kind}`);
    throw new IncompleteEvalError(benchmark, counts.items, counts.failed, counts.unparseable, kinds.length ? kinds.join(', ') : 'no failed calls');
  }
}

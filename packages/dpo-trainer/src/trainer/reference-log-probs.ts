import { writeFileAtomic } from '@smart/core';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { collatePairs } from '../collate/collate-batch';
import type { EncodedPair, ReferenceLogProbs } from '../collate/examples';
import type { Engine } from '../engine/types';
import { ResumeStateError } from '../errors';

/**
 * Where reference log-probs live between runs. The CLI backs it with `@smart/preference-store`
 * (`setReferenceLogps`); the default is a JSON file in the output folder.
 */
export interface ReferenceLogProbStore {
  /** The stored values of pair `id`, if any. */
  get(id: string): Promise<ReferenceLogProbs | undefined>;
  /** Stores the values computed for the pairs, once per pair. */
  setMany(values: ReadonlyMap<string, ReferenceLogProbs>): Promise<void>;
}

const fileSchema = z.record(z.string(), z.object({ chosen: z.number(), rejected: z.number(), scope: z.string().optional() }));
type FileEntry = z.infer<typeof fileSchema>[string];

/**
 * A ReferenceLogProbStore in one JSON file `{id: {chosen, rejected, scope}}`, rewritten atomically. `scope` names
 * what the values were computed under (start weights, how rows are encoded): an entry from another scope (or
 * none, where one is given) is not returned, so a re-run with other settings recomputes it.
 */
export function jsonFileReferenceStore(path: string, scope?: string): ReferenceLogProbStore {
  let cache: Map<string, FileEntry> | undefined;
  const load = async () => {
    if (cache) return cache;
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ResumeStateError(path, (err as Error).message);
    }
    let json: unknown = {};
    try {
      if (text !== undefined) json = JSON.parse(text);
    } catch {
      json = null;
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) throw new ResumeStateError(path, 'reference log-probs file is malformed');
    cache = new Map(Object.entries(parsed.data));
    return cache;
  };
  return {
    async get(id) {
      const e = (await load()).get(id);
      return e && e.scope === scope ? { chosen: e.chosen, rejected: e.rejected } : undefined;
    },
    async setMany(values) {
      const all = await load();
      for (const [k, v] of values) all.set(k, { chosen: v.chosen, rejected: v.rejected, ...(scope !== undefined ? { scope } : {}) });
      await writeFileAtomic(path, JSON.stringify(Object.fromEntries(all)));
    },
  };
}

/**
 * Summed completion log-probs of the frozen start model (LoRA: adapters off) for every pair, in batches
 * of `batchSize` pairs: computed once per iteration and stored with the pairs (TRL `precompute_ref_log_probs`).
 */
export async function computeReferenceLogProbs(
  engine: Pick<Engine, 'sequenceLogProbs'>,
  pairs: readonly EncodedPair[],
  batchSize: number,
  padTokenId: number,
  onBatch?: (done: number) => void,
): Promise<Map<string, ReferenceLogProbs>> {
  const out = new Map<string, ReferenceLogProbs>();
  for (let i = 0; i < pairs.length; i += batchSize) {
    const chunk = pairs.slice(i, i + batchSize);
    const { logps } = await engine.sequenceLogProbs(collatePairs(chunk, null, padTokenId), { reference: true });
    chunk.forEach((p, k) => out.set(p.id, { chosen: logps[k]!, rejected: logps[chunk.length + k]! }));
    onBatch?.(i + chunk.length);
  }
  return out;
}

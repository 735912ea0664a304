import { readRegularFileSync } from '@smart/core';
import { dirname, isAbsolute, resolve } from 'node:path';
import { collectSamples, drawExcluding } from '@smart/datasets';
import type { PreferenceStore } from '@smart/preference-store';
import type { RunData } from './prepare-data';
import type { StageIo } from './stage-context';

/** What the draw stage did. */
export interface DrawOutcome {
  iteration: number;
  samples: number;
  /** False when the iteration already had its samples (a resumed run). */
  drew: boolean;
  /** Source rows skipped by the loader, by reason. */
  skipped: Record<string, number>;
}

/**
 * Draws iteration `k`'s questions, disjoint from every earlier iteration's and from `reserved`, stores
 * them with their images and assigns them to `k` in one transaction. An iteration that already has
 * samples is left as is.
 */
export async function drawSamples(opts: {
  store: PreferenceStore;
  data: RunData;
  iteration: number;
  count: number;
  seed: number;
  /** Sample ids never drawn (the embedded base's SFT items). */
  reserved?: Iterable<string>;
  io: Pick<StageIo, 'log'>;
}): Promise<DrawOutcome> {
  const { store, iteration } = opts;
  const existing = store.samplesOfIteration(iteration);
  if (existing.length > 0) return { iteration, samples: existing.length, drew: false, skipped: {} };
  const source = opts.data.trainSource();
  const { samples, summary } = await collectSamples(source);
  const byId = new Map(samples.map((s) => [s.id, s]));
  const picked = drawExcluding(byId.keys(), { seed: opts.seed, count: opts.count, exclude: [...store.usedSampleIds(), ...(opts.reserved ?? [])] });
  const root = opts.data.imageRoot ?? dirname(opts.data.trainFile);
  const items = picked.map((id) => {
    const sample = byId.get(id)!;
    const path = isAbsolute(sample.image.path) ? sample.image.path : resolve(root, sample.image.path);
    return { sample, sourceName: `${summary.format}:${opts.data.trainFile}`, imageBytes: readRegularFileSync(path) };
  });
  store.transaction(() => {
    store.putSamples(items);
    store.assignSamples(iteration, picked);
  });
  const skipped = Object.fromEntries(Object.entries(summary.skipped).filter(([, n]) => (n ?? 0) > 0)) as Record<string, number>;
  opts.io.log(`iteration ${iteration}: drew ${picked.length} of ${samples.length} questions${Object.keys(skipped).length ? ` (source rows skipped: ${JSON.stringify(skipped)})` : ''}`);
  return { iteration, samples: picked.length, drew: true, skipped };
}

import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectSamples } from '@smart/datasets';
import type { Sample } from '@smart/types';
import { resolveConfig } from '../config/load-config';
import { ConfigError } from '../errors/errors';
import { runPaths } from '../run-folder/run-paths';
import { prepareData } from './prepare-data';

const quiet = { log: () => undefined };

async function trainSamples(flags: Record<string, unknown>, dir: string): Promise<Sample[]> {
  const config = resolveConfig({ flags: { runsDir: dir, syntheticHeldOut: 2, syntheticImageSize: 32, baseItems: 0, ...flags } });
  const data = await prepareData(config, runPaths(config.runsDir, config.name), quiet);
  return (await collectSamples(data.trainSource())).samples;
}

const countsOf = (samples: Sample[]) =>
  samples.filter((s) => s.meta?.['kind'] === 'count').map((s) => Number(s.choices.find((c) => c.letter === s.answer)!.text));

describe('prepareData: the synthetic task difficulty flags', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'smart-prepare-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('draws counting questions within --synthetic-min-objects … --synthetic-max-objects, with spread options when asked', async () => {
    const fixed = countsOf(await trainSamples({ name: 'fixed', syntheticTrain: 25, syntheticMinObjects: 7, syntheticMaxObjects: 8, syntheticNearOptions: false }, dir));
    expect(fixed.length).toBe(5); // one kind in five
    for (const n of fixed) expect([7, 8]).toContain(n);
    const defaults = countsOf(await trainSamples({ name: 'defaults', syntheticTrain: 25 }, dir));
    for (const n of defaults) expect(n).toBeLessThanOrEqual(6);
    expect(defaults).not.toEqual(fixed);
  });

  it('gives another task for another difficulty, and the same task for the same flags', async () => {
    await trainSamples({ name: 'a', syntheticTrain: 10, syntheticMinSizeRatio: 1.05, syntheticMinBarGap: 0.02 }, dir);
    await trainSamples({ name: 'b', syntheticTrain: 10, syntheticMinSizeRatio: 1.05, syntheticMinBarGap: 0.02 }, dir);
    await trainSamples({ name: 'c', syntheticTrain: 10 }, dir);
    const task = (name: string) => {
      const h = createHash('sha256').update(readFileSync(join(dir, name, 'data', 'train.jsonl')));
      const images = join(dir, name, 'data', 'images');
      for (const f of readdirSync(images).sort()) h.update(f).update(readFileSync(join(images, f)));
      return h.digest('hex');
    };
    expect(task('a')).toBe(task('b'));
    expect(task('a')).not.toBe(task('c'));
  });

  it('refuses an empty object range and out-of-range knobs with the flag named', () => {
    expect(() => resolveConfig({ flags: { syntheticMinObjects: 5, syntheticMaxObjects: 4 } })).toThrow(ConfigError);
    expect(() => resolveConfig({ flags: { syntheticMinObjects: 5, syntheticMaxObjects: 4 } })).toThrow(/--synthetic-min-objects \(5\), got 4/);
    expect(() => resolveConfig({ flags: { syntheticMinSizeRatio: 2 } })).toThrow(ConfigError);
    expect(() => resolveConfig({ flags: { syntheticMinBarGap: 0 } })).toThrow(ConfigError);
    expect(() => resolveConfig({ flags: { syntheticDistractors: -1 } })).toThrow(ConfigError);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aotPrompt, concludesOption, finalStep } from '@smart/aot-prompts';
import { collectSamples, DrawExhaustedError } from '@smart/datasets';
import type { SftExample } from '@smart/dpo-trainer';
import type { OptionLetter } from '@smart/types';
import { openStore } from '@smart/preference-store';
import { resolveConfig } from '../config/load-config';
import { ConfigError, MissingInputError } from '../errors/errors';
import { runPaths } from '../run-folder/run-paths';
import { baseSampleIds, templateSftExamples } from './build-base';
import { drawSamples } from './draw-samples';
import { prepareData } from './prepare-data';

const quiet = { log: () => undefined };

describe('--base-items: the embedded base learns from part of the pool, the iterations from the rest', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'smart-base-items-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function setUp(baseItems: number) {
    const config = resolveConfig({ flags: { runsDir: dir, name: `b${baseItems}`, syntheticTrain: 20, syntheticHeldOut: 2, syntheticImageSize: 32, baseItems, samplesPerIteration: 4, maxIterations: 3 } });
    const data = await prepareData(config, runPaths(config.runsDir, config.name), quiet);
    return { config, data, all: (await collectSamples(data.trainSource())).samples.map((s) => s.id) };
  }

  it('takes the first N training items for the base, all of them when 0', async () => {
    const { data, all } = await setUp(8);
    expect(all).toHaveLength(20);
    expect(await baseSampleIds(data, 8)).toEqual(all.slice(0, 8));
    expect(await baseSampleIds(data, 0)).toEqual(all);
    const rows = await templateSftExamples(data, new Set(all.slice(0, 8)));
    expect(rows).toHaveLength(16); // an AoT row and a plain-question row per item
    expect(new Set(rows.map((r) => r.id.slice(0, r.id.lastIndexOf(':'))))).toEqual(new Set(all.slice(0, 8)));
    expect(await templateSftExamples(data)).toHaveLength(40);
  });

  it('tells a share of the AoT rows a wrong option, whose template rationale concludes that option', async () => {
    const { data, all } = await setUp(8);
    const samples = new Map((await collectSamples(data.trainSource())).samples.map((s) => [s.id, s]));
    const plain = await templateSftExamples(data, new Set(all));
    const toldRows = (rows: SftExample[]) => rows.filter((r) => r.id.includes(':aot-told-'));
    const every = await templateSftExamples(data, new Set(all), { toldWrong: { share: 1, seed: 3 } });
    expect(every).toHaveLength(40);
    // The question rows stay; each AoT row told the answer is replaced by one told a wrong option.
    expect(every.filter((r) => r.id.endsWith(':question'))).toEqual(plain.filter((r) => r.id.endsWith(':question')));
    expect(toldRows(every)).toHaveLength(20);
    const letters = toldRows(every).map((r) => {
      const [id, letter] = r.id.split(':aot-told-') as [string, OptionLetter];
      const s = samples.get(id)!;
      expect(letter).not.toBe(s.answer);
      expect(r.prompt).toBe(aotPrompt(s, letter));
      expect(concludesOption(finalStep(r.completion), s.choices, letter)).toBe(true);
      expect(r.completion).not.toBe(plain.find((p) => p.id === `${id}:aot`)!.completion);
      return letter;
    });
    expect(new Set(letters).size).toBeGreaterThan(1);
    const half = await templateSftExamples(data, new Set(all), { toldWrong: { share: 0.5, seed: 3 } });
    expect(toldRows(half).length).toBeGreaterThan(3);
    expect(toldRows(half).length).toBeLessThan(17);
    expect(half.filter((r) => !r.id.includes(':aot-told-'))).toEqual(plain.filter((r) => half.some((h) => h.id === r.id)));
    // Which rows are told wrong is a function of the seed and the item, not of which items are asked for.
    expect(toldRows(await templateSftExamples(data, new Set(all.slice(4)), { toldWrong: { share: 0.5, seed: 3 } }))).toEqual(toldRows(half).filter((r) => all.slice(4).some((id) => r.id.startsWith(`${id}:`))));
    expect(toldRows(await templateSftExamples(data, new Set(all), { toldWrong: { share: 0.5, seed: 4 } })).map((r) => r.id)).not.toEqual(toldRows(half).map((r) => r.id));
    // A sidecar written before the told rationales existed still serves the told-right mix, and names itself for the rest.
    const sidecar = data.trainFile.replace(/\.jsonl$/, '.rationales.jsonl');
    const lines = readFileSync(sidecar, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    writeFileSync(sidecar, lines.map(({ told: _t, ...rest }) => `${JSON.stringify(rest)}\n`).join(''));
    expect(await templateSftExamples(data, new Set(all))).toEqual(plain);
    await expect(templateSftExamples(data, new Set(all), { toldWrong: { share: 1, seed: 3 } })).rejects.toThrow(MissingInputError);
    await expect(templateSftExamples(data, new Set(all), { toldWrong: { share: 1, seed: 3 } })).rejects.toThrow(sidecar);
  });

  it('never draws a reserved item, and runs out when only reserved ones are left', async () => {
    const { config, data, all } = await setUp(8);
    const reserved = await baseSampleIds(data, config.baseItems);
    const store = openStore(join(dir, 'store.sqlite'));
    try {
      const drawn: string[] = [];
      for (let k = 1; k <= 3; k++) {
        await drawSamples({ store, data, iteration: k, count: 4, seed: config.seed, reserved, io: quiet });
        drawn.push(...store.samplesOfIteration(k));
      }
      expect(drawn).toHaveLength(12);
      expect(new Set(drawn)).toEqual(new Set(all.slice(8)));
      await expect(drawSamples({ store, data, iteration: 4, count: 1, seed: config.seed, reserved, io: quiet })).rejects.toThrow(DrawExhaustedError);
    } finally {
      store.close();
    }
  });

  it('refuses a pool too small for the base and the iterations, naming --base-items', () => {
    const flags = { syntheticTrain: 100, samplesPerIteration: 30, maxIterations: 3 };
    expect(resolveConfig({ flags: { ...flags, baseItems: 10 } }).baseItems).toBe(10);
    expect(() => resolveConfig({ flags: { ...flags, baseItems: 11 } })).toThrow(ConfigError);
    expect(() => resolveConfig({ flags: { ...flags, baseItems: 11 } })).toThrow(/pool of 101, but --synthetic-train is 100/);
    expect(() => resolveConfig({ flags: { ...flags, baseItems: 0 } })).not.toThrow();
  });
});

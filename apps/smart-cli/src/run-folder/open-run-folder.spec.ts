import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../config/load-config';
import { RunConfigMismatchError } from '../errors/errors';
import { openRunFolder, readRunConfig } from './open-run-folder';

describe('openRunFolder', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'smart-runs-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const config = (flags: Record<string, unknown> = {}) => resolveConfig({ flags: { runsDir: dir, name: 'r1', ...flags } });

  it('writes the resolved config, and reopens with the same one', () => {
    const paths = openRunFolder(config({ seed: 4 }));
    const written = JSON.parse(readFileSync(paths.config, 'utf8'));
    expect(written).toMatchObject({ name: 'r1', seed: 4, temperature: 0.7 });
    expect(readdirSync(paths.root)).toEqual(['config.json']); // no temp file left behind
    expect(openRunFolder(config({ seed: 4 })).root).toBe(paths.root);
  });

  it('refuses a folder started with another config, naming the field', () => {
    openRunFolder(config({ seed: 4 }));
    let err: unknown;
    try {
      openRunFolder(config({ seed: 5 }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RunConfigMismatchError);
    expect((err as RunConfigMismatchError).differences).toEqual([{ field: 'seed', before: 4, now: 5 }]);
    expect((err as Error).message).toContain('--force-new');
  });

  it('lets operational fields change on resume', () => {
    openRunFolder(config({ concurrency: 2 }));
    expect(() => openRunFolder(config({ concurrency: 16, maxIterations: 5 }))).not.toThrow();
  });

  it('moves the old folder aside with --force-new', () => {
    const paths = openRunFolder(config({ seed: 4 }));
    openRunFolder(config({ seed: 5 }), { forceNew: true, now: () => new Date('2026-01-02T03:04:05.000Z') });
    expect(JSON.parse(readFileSync(paths.config, 'utf8')).seed).toBe(5);
    expect(existsSync(join(dir, 'r1.old-2026-01-02T03-04-05-000Z', 'config.json'))).toBe(true);
  });

  it("resumes a folder written before a field existed with the schema's value for it, not the embedded default's", () => {
    // An embedded-default folder from before rpoAlpha, lossSpan and the base's follow stage were stored: plain DPO,
    // one epoch, a base of one SFT stage.
    const paths = openRunFolder(config());
    const { rpoAlpha: _a, lossSpan: _s, baseFollowSteps: _f, baseFollowLearningRate: _l, baseToldWrong: _w, ...old } = JSON.parse(readFileSync(paths.config, 'utf8')) as Record<string, unknown>;
    writeFileSync(paths.config, JSON.stringify({ ...old, epochs: 1 }));
    const resumed = resolveConfig({ base: readRunConfig(paths) as unknown as Record<string, unknown>, flags: { runsDir: dir, name: 'r1' } });
    expect(resumed).toMatchObject({ rpoAlpha: 0, lossSpan: 'completion', epochs: 1, baseFollowSteps: 0 });
    expect(() => openRunFolder(resumed)).not.toThrow();
    // A new folder gets the embedded default's recipe.
    expect(config({ name: 'r2' })).toMatchObject({ rpoAlpha: 100, epochs: 5, baseFollowSteps: 400 });
  });
});

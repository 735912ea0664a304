import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NotRegularFileError } from '@smart/core';
import { resolveConfig } from '../config/load-config';
import { ConfigError } from '../errors/errors';
import { openRunFolder, readRunConfig } from './open-run-folder';
import { runPaths } from './run-paths';
import { readTimings, timingsFile } from './stage-timings';
import { previousStopReason, trainSteps } from './summary';

describe('run folders: hostile files', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'smart-runs-bad-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const config = () => resolveConfig({ flags: { runsDir: dir, name: 'r1' } });
  const paths = () => runPaths(dir, 'r1');

  it.each([
    { name: 'a FIFO', make: (p: string) => execFileSync('mkfifo', [p]), reason: /not a regular file \(FIFO\)/ },
    { name: 'not JSON', make: (p: string) => writeFileSync(p, '{"seed": '), reason: /JSON/ },
    { name: 'JSON of another schema', make: (p: string) => writeFileSync(p, '{"seed": "four"}'), reason: /invalid: .*number/, field: 'seed' },
    { name: 'JSON with an unknown field', make: (p: string) => writeFileSync(p, '{"sede": 4}'), reason: /invalid: unknown field "sede"/, field: 'sede' },
    { name: 'JSON null', make: (p: string) => writeFileSync(p, 'null'), reason: /invalid: .*object/ },
  ])('a config.json that is $name is a ConfigError naming it, at once, for open and for read', ({ make, reason, field }) => {
    mkdirSync(paths().root, { recursive: true });
    make(paths().config);
    const started = Date.now();
    expect(() => openRunFolder(config())).toThrow(expect.objectContaining({ constructor: ConfigError, file: paths().config, reason: expect.stringMatching(reason), field }));
    expect(() => readRunConfig(paths())).toThrow(expect.objectContaining({ constructor: ConfigError, file: paths().config }));
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a summary.json that is a FIFO or not JSON gives no previous stop reason instead of hanging or crashing', () => {
    mkdirSync(paths().root, { recursive: true });
    execFileSync('mkfifo', [paths().summary]);
    expect(previousStopReason(paths())).toBeNull();
    rmSync(paths().summary);
    writeFileSync(paths().summary, '{"stoppedBecause": "pla');
    expect(previousStopReason(paths())).toBeNull();
    writeFileSync(paths().summary, '{"stoppedBecause": "plateau"}');
    expect(previousStopReason(paths())).toBe('plateau');
  });

  it('train metrics and timings that are FIFOs are typed errors naming them, at once; torn lines are ignored', () => {
    const metrics = paths().trainMetrics(1);
    mkdirSync(dirname(metrics), { recursive: true });
    execFileSync('mkfifo', [metrics]);
    expect(() => trainSteps(metrics)).toThrow(expect.objectContaining({ constructor: NotRegularFileError, file: metrics }));
    rmSync(metrics);
    writeFileSync(metrics, '{"step": 1}\n{"step": 2}\n{"step": 3, "lo');
    expect(trainSteps(metrics)).toBe(2);
    const timings = timingsFile(paths());
    mkdirSync(dirname(timings), { recursive: true });
    execFileSync('mkfifo', [timings]);
    expect(() => readTimings(paths())).toThrow(expect.objectContaining({ constructor: NotRegularFileError, file: timings }));
  });
});

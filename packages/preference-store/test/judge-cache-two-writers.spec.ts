import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve } from 'node:path';
import { openStore } from '../src/index';
import { tempDir } from './fixtures/pair-fixtures';

const REPO_ROOT = resolve(__dirname, '../../..');
const CHILD = join(__dirname, 'fixtures/judge-cache-writer-child.ts');
const N = 2000;
const SHARED = 50;

interface WriterReport {
  startedAt: number;
  finishedAt: number;
  winners: Record<string, string>;
  wrong: string[];
}

/** Starts a writer child; resolves `ready` once it has opened the store and `report` with its final line. */
function startWriter(file: string, writer: string): { child: ChildProcessWithoutNullStreams; ready: Promise<void>; report: Promise<WriterReport> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, writer, String(N), String(SHARED)], {
    cwd: REPO_ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(__dirname, '../tsconfig.json') },
  });
  let out = '';
  let err = '';
  let markReady: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const report = new Promise<WriterReport>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0) return fail(new Error(`writer ${writer} exited ${code}: ${err}`));
      done(JSON.parse(out.split('\n').filter(Boolean).at(-1)!) as WriterReport);
    });
  });
  return { child, ready, report };
}

describe('the judge cache with two processes writing at once', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir('pref-store-judge-')));
  afterEach(() => tmp.cleanup());

  it('loses no entry, and every shared key holds the one value both writers were given back', async () => {
    const file = join(tmp.dir, 'store.sqlite');
    const writers = ['w0', 'w1'].map((w) => startWriter(file, w));
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.child.stdin.end('go\n');
    const [a, b] = await Promise.all(writers.map((w) => w.report));

    // The two write phases overlapped in time, so the writers really contended for the lock.
    expect(Math.max(a!.startedAt, b!.startedAt)).toBeLessThan(Math.min(a!.finishedAt, b!.finishedAt));
    expect([a!.wrong, b!.wrong]).toEqual([[], []]);

    const store = openStore(file);
    try {
      expect(store.judgeCacheSize()).toBe(2 * N + SHARED);
      for (const w of ['w0', 'w1']) {
        for (let i = 0; i < N; i++) expect(store.getJudgeResponse(`${w}-${i}`)).toBe(`${w} says ${i}`);
      }
      for (let j = 0; j < SHARED; j++) {
        const key = `shared-${j}`;
        const stored = store.getJudgeResponse(key);
        expect(['from w0', 'from w1']).toContain(stored);
        expect([a!.winners[key], b!.winners[key]]).toEqual([stored, stored]);
      }
      expect(store.checkIntegrity()).toEqual([]);
    } finally {
      store.close();
    }
  });
});

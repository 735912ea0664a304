import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { openStore } from '../src/index';
import { makePairWrite, makeSample, tempDir } from './fixtures/pair-fixtures';

const REPO_ROOT = resolve(__dirname, '../../..');
const CHILD = join(__dirname, 'fixtures/pair-writer-child.ts');
const N = 3000;

interface ChildRun {
  written: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs the writer child; with `killAfter`, SIGKILLs it once it has reported that many finished pairs. */
function runChild(file: string, killAfter?: number): Promise<ChildRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, String(N)], {
      cwd: REPO_ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(__dirname, '../tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const written: string[] = [];
    let buffered = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const l of lines) if (l.startsWith('pair ')) written.push(l.slice(5));
      if (killAfter !== undefined && written.length >= killAfter) child.kill('SIGKILL');
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      if (code !== 0 && signal === null) fail(new Error(`child failed (${code}): ${stderr}`));
      else done({ written, code, signal });
    });
  });
}

/** Asserts the store holds no partial state a crash could have produced. */
function expectConsistent(file: string): number {
  const store = openStore(file);
  try {
    expect(store.checkIntegrity()).toEqual([]);
    const db = store.db;
    // Odd samples were written atomically: both rationales and the pair, or nothing at all.
    const perSample = db
      .prepare(
        `SELECT s.sample_id AS id, (SELECT count(*) FROM generations g WHERE g.sample_id = s.sample_id) AS gens,
           (SELECT count(*) FROM pairs p WHERE p.sample_id = s.sample_id) AS pairs
         FROM iteration_samples s`,
      )
      .all() as { id: string; gens: number; pairs: number }[];
    for (const r of perSample) {
      const odd = Number(r.id.slice(1)) % 2 === 1;
      if (odd) expect([r.gens, r.pairs]).toEqual(r.gens === 0 ? [0, 0] : [2, 1]);
      if (r.pairs === 1) expect(r.gens).toBe(2);
    }
    // Every pair row joins to its two rationales and its sample.
    const pairRows = db.prepare('SELECT count(*) FROM pairs').pluck().get() as number;
    expect(store.listPairs()).toHaveLength(pairRows);
    return pairRows;
  } finally {
    store.close();
  }
}

describe('a writer killed with SIGKILL', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir('pref-store-kill-')));
  afterEach(() => tmp.cleanup());

  it('leaves a consistent store, and a resumed run completes exactly the missing pairs', async () => {
    const file = join(tmp.dir, 'store.sqlite');
    const reported = new Set<string>();
    let pairsBefore = 0;
    for (const killAfter of [50, 400]) {
      const run = await runChild(file, killAfter);
      expect(run.signal).toBe('SIGKILL');
      for (const id of run.written) reported.add(id);
      const pairs = expectConsistent(file);
      // Nothing reported as written was lost, and the kill came before the end.
      expect(pairs).toBeGreaterThanOrEqual(reported.size);
      expect(pairs).toBeGreaterThan(pairsBefore);
      expect(pairs).toBeLessThan(N);
      pairsBefore = pairs;
    }

    const resumed = await runChild(file);
    expect(resumed.code).toBe(0);
    // The resumed run did only the missing work.
    expect(resumed.written).toHaveLength(N - pairsBefore);
    expect(expectConsistent(file)).toBe(N);

    const store = openStore(file);
    const pairs = store.listPairs();
    expect(pairs.map((p) => p.sampleId)).toEqual(Array.from({ length: N }, (_, i) => makeSample(i).id));
    for (const [i, p] of pairs.entries()) {
      const w = makePairWrite(i, 0);
      expect([p.prompt, p.chosen, p.rejected, p.kept]).toEqual([w.verdict.prompt, w.positive.text, w.negative.text, i % 5 !== 0]);
    }
    expect(store.db.prepare('SELECT count(*) FROM generations').pluck().get()).toBe(2 * N);
    expect(store.funnel(0)).toEqual({
      samples: N,
      withPositive: N,
      withNegative: N,
      withBoth: N,
      judged: N,
      kept: N - N / 5,
      dropped: N / 5,
      dropReasons: { 'too-short': N / 5 },
    });
    store.close();
  });
});

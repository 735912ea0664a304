import { createTinyModel } from '@smart/models';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = join(__dirname, '..', '..', '..');
const child = join(__dirname, 'train-child.ts');

interface Line {
  phase: string;
  step: number;
  status?: string;
  resumed?: boolean;
}

/** Runs the child; `killAt(line)` true sends SIGKILL at once. Resolves with the lines seen and how it ended. */
function runChild(modelDir: string, out: string, killAt?: (l: Line) => boolean, pauseMs = 0, signal: NodeJS.Signals = 'SIGKILL'): Promise<{ lines: Line[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    // `node --import tsx` runs the script in this one process (the tsx CLI would fork a grandchild that SIGKILL misses).
    const p = spawn(process.execPath, ['--import', 'tsx', child, modelDir, out, ...(pauseMs ? [String(pauseMs)] : [])], {
      cwd: root,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(__dirname, '..', 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Line[] = [];
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: p.stdout }).on('line', (text) => {
      const l = JSON.parse(text) as Line;
      lines.push(l);
      if (killAt?.(l)) p.kill(signal);
    });
    p.on('error', reject);
    p.on('close', (code, signal) => (code === 0 || signal === 'SIGKILL' ? resolve({ lines, signal }) : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
}

describe('kill -9 and resume', () => {
  jest.setTimeout(300_000);
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dpo-kill-'));
    await createTinyModel({ dir: join(dir, 'tiny'), seed: 4 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('killed twice mid-training, re-run to the end: final weights and metrics equal an uninterrupted run', async () => {
    const model = join(dir, 'tiny');
    const whole = await runChild(model, join(dir, 'whole'));
    const done = whole.lines.at(-1)!;
    expect(done).toMatchObject({ phase: 'result', status: 'completed', step: 24, resumed: false });

    const out = join(dir, 'killed');
    // 3 micro-batches per epoch, 2 per step: 2 steps per epoch (the second takes the remainder), 24 in all.
    // First kill between saves (after step 4's update, state saved at 3); second right after a save landed.
    const first = await runChild(model, out, (l) => l.phase === 'train' && l.step === 4, 100);
    expect(first.signal).toBe('SIGKILL');
    const second = await runChild(model, out, (l) => l.phase === 'saved' && l.step === 15, 100);
    expect(second.signal).toBe('SIGKILL');
    expect(second.lines.find((l) => l.phase === 'train')!.step).toBeLessThanOrEqual(5); // it resumed, not restarted
    const last = await runChild(model, out);
    expect(last.lines.at(-1)).toMatchObject({ phase: 'result', status: 'completed', step: 24, resumed: true });
    expect(last.lines.find((l) => l.phase === 'train')!.step).toBeGreaterThan(15);

    const weights = (d: string) => readFileSync(join(dir, d, 'checkpoint', 'model.safetensors'));
    expect(weights('killed').equals(weights('whole'))).toBe(true);
    const metrics = (d: string) => readFileSync(join(dir, d, 'train-metrics.jsonl'), 'utf8');
    expect(metrics('killed')).toBe(metrics('whole'));
    expect(metrics('whole').trim().split('\n')).toHaveLength(12);
  });

  it('Ctrl-C (SIGINT) saves at the next safe point and exits cleanly; the re-run finishes the same run', async () => {
    const model = join(dir, 'tiny');
    const out = join(dir, 'interrupted');
    const first = await runChild(model, out, (l) => l.phase === 'train' && l.step === 5, 100, 'SIGINT');
    expect(first.signal).toBeNull(); // exited by itself, code 0
    const stopped = first.lines.at(-1)!;
    expect(stopped).toMatchObject({ phase: 'result', status: 'stopped' });
    expect(first.lines.at(-2)).toMatchObject({ phase: 'saved', step: stopped.step });
    const last = await runChild(model, out);
    expect(last.lines.at(-1)).toMatchObject({ phase: 'result', status: 'completed', step: 24, resumed: true });
    const weights = (d: string) => readFileSync(join(dir, d, 'checkpoint', 'model.safetensors'));
    expect(weights('interrupted').equals(weights('whole'))).toBe(true);
  });
});
